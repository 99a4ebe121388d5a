import { Attribute, Change } from 'ldapts'
import type { SlapdServer } from './slapd.js'

/**
 * Changes to the test directory as its administrator makes them (as the
 * rootdn, over LDAP): what the sync then has to notice.
 */
export async function changeDirectory(
  slapd: SlapdServer,
  work: (directory: DirectoryChanges) => Promise<void>
) {
  const client = await slapd.admin()
  try {
    await work({
      remove: (dn) => client.del(dn),
      add: (dn, attributes) => client.add(dn, attributes),
      replace: (dn, type, value) =>
        client.modify(
          dn,
          new Change({
            operation: 'replace',
            modification: new Attribute({ type, values: [value] }),
          })
        ),
      disable: (dn, disabled) =>
        client.modify(
          dn,
          new Change({
            operation: 'replace',
            modification: new Attribute({
              type: 'userAccountControl',
              values: [disabled ? '514' : '512'],
            }),
          })
        ),
      leaveGroup: (groupDn, memberDn) =>
        client.modify(
          groupDn,
          new Change({
            operation: 'delete',
            modification: new Attribute({ type: 'member', values: [memberDn] }),
          })
        ),
      rename: (dn, newDn) => client.modifyDN(dn, newDn),
    })
  } finally {
    await client.unbind()
  }
}

export interface DirectoryChanges {
  remove(dn: string): Promise<void>
  add(dn: string, attributes: Record<string, string | string[]>): Promise<void>
  replace(dn: string, type: string, value: string): Promise<void>
  /** AD's ACCOUNTDISABLE bit of userAccountControl (514 = 512 | 2). */
  disable(dn: string, disabled: boolean): Promise<void>
  leaveGroup(groupDn: string, memberDn: string): Promise<void>
  rename(dn: string, newDn: string): Promise<void>
}
