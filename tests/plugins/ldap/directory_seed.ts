import type { SlapdOptions } from './slapd.js'

/**
 * The test directory: two companies under dc=test (acme and globex), a
 * read-only service account, people with cleartext passwords (slapd
 * compares them as given), AD-style `userAccountControl` flags (bit 2 set:
 * disabled) so the documented Active Directory filter is the one tested,
 * and groupOfNames groups.
 */
export const SUFFIX = 'dc=test'
export const ACME = 'dc=acme,dc=test'
export const PEOPLE = `ou=people,${ACME}`
export const GROUPS = `ou=groups,${ACME}`
export const EMPTY_OU = `ou=nobody,${ACME}`
export const GLOBEX_PEOPLE = 'ou=people,dc=globex,dc=test'
export const SERVICE = { dn: `cn=tandem,ou=services,${ACME}`, password: 'service-password' }
/** A service account the server answers at most 3 entries per search: partial results. */
export const LIMITED_SERVICE = {
  dn: `cn=limited,ou=services,${ACME}`,
  password: 'limited-password',
}
export const DISABLED_FILTER = '(userAccountControl:1.2.840.113556.1.4.803:=2)'

export interface SeedPerson {
  uid: string
  cn: string
  mail?: string
  password: string
  /** Below ou=people; e.g. 'ou=contractors,' for a nested OU. */
  ou?: string
  disabled?: boolean
}

export const people = {
  ada: { uid: 'ada', cn: 'Ada Lovelace', mail: 'ada@acme.test', password: 'ada-password' },
  alan: { uid: 'alan', cn: 'Alan Turing', mail: 'alan@acme.test', password: 'alan-password' },
  grace: { uid: 'grace', cn: 'Grace Hopper', mail: 'grace@acme.test', password: 'grace-password' },
  linus: { uid: 'linus', cn: 'Linus Contractor', mail: 'linus@acme.test', password: 'linus-pw' },
  eve: {
    uid: 'eve',
    cn: 'Eve Disabled',
    mail: 'eve@acme.test',
    password: 'eve-password',
    disabled: true,
  },
  // Filter syntax in a real user name: escaping must make it match itself, and only itself.
  star: { uid: 'st*r (x)', cn: 'Star Parens', mail: 'star@acme.test', password: 'star-password' },
  jose: { uid: 'josé', cn: 'José Núñez', mail: 'jose@acme.test', password: 'jose-password' },
  // The workspace owner's email: the sync must leave the owner alone.
  olive: { uid: 'olive', cn: 'Olive Directory', mail: 'owner@acme.test', password: 'olive-pw' },
  nomail: { uid: 'nomail', cn: 'No Mail', password: 'nomail-password' },
  sam: { uid: 'sam', cn: 'Sam One', mail: 'sam1@acme.test', password: 'sam-password' },
  samToo: {
    uid: 'sam',
    cn: 'Sam Two',
    mail: 'sam2@acme.test',
    password: 'sam-password',
    ou: 'ou=contractors,',
  },
} satisfies Record<string, SeedPerson>

export function dnOf(person: SeedPerson) {
  return `uid=${person.uid},${person.ou ?? ''}${PEOPLE}`
}

export const groups = {
  admins: { cn: 'admins', members: [people.ada, people.grace] },
  staff: { cn: 'staff', members: [people.ada, people.alan, people.grace, people.eve] },
  contractors: { cn: 'contractors', members: [people.linus, people.olive] },
}

export function groupDn(name: keyof typeof groups) {
  return `cn=${groups[name].cn},${GROUPS}`
}

/** LDIF writes non-ASCII values base64-encoded (RFC 2849 `attr:: value`). */
function line(attribute: string, value: string) {
  return /^[\x20-\x7e]*$/.test(value) && !value.startsWith(' ') && !value.startsWith(':')
    ? `${attribute}: ${value}`
    : `${attribute}:: ${Buffer.from(value, 'utf8').toString('base64')}`
}

/** A person's attributes as an LDAP add sends them. */
export function personAttributes(person: SeedPerson) {
  return {
    objectClass: ['inetOrgPerson', 'tandemTestAccount'],
    uid: person.uid,
    cn: person.cn,
    sn: person.cn.split(' ').at(-1)!,
    ...(person.mail ? { mail: person.mail } : {}),
    userPassword: person.password,
    userAccountControl: person.disabled ? '514' : '512',
  }
}

export function personLdif(person: SeedPerson, dn = dnOf(person)) {
  return [
    line('dn', dn),
    'objectClass: inetOrgPerson',
    'objectClass: tandemTestAccount',
    line('uid', person.uid),
    line('cn', person.cn),
    line('sn', person.cn.split(' ').at(-1)!),
    ...(person.mail ? [line('mail', person.mail)] : []),
    line('userPassword', person.password),
    `userAccountControl: ${person.disabled ? 514 : 512}`,
  ].join('\n')
}

function entries() {
  const blocks = [
    `dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: test\no: Test`,
    `dn: ${ACME}\nobjectClass: dcObject\nobjectClass: organization\ndc: acme\no: Acme`,
    `dn: ${PEOPLE}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=contractors,${PEOPLE}\nobjectClass: organizationalUnit\nou: contractors`,
    `dn: ${GROUPS}\nobjectClass: organizationalUnit\nou: groups`,
    `dn: ${EMPTY_OU}\nobjectClass: organizationalUnit\nou: nobody`,
    `dn: ou=services,${ACME}\nobjectClass: organizationalUnit\nou: services`,
    [
      `dn: ${SERVICE.dn}`,
      'objectClass: organizationalRole',
      'objectClass: simpleSecurityObject',
      'cn: tandem',
      `userPassword: ${SERVICE.password}`,
    ].join('\n'),
    [
      `dn: ${LIMITED_SERVICE.dn}`,
      'objectClass: organizationalRole',
      'objectClass: simpleSecurityObject',
      'cn: limited',
      `userPassword: ${LIMITED_SERVICE.password}`,
    ].join('\n'),
    ...Object.values(people).map((person) => personLdif(person)),
    ...Object.keys(groups).map((name) => {
      const group = groups[name as keyof typeof groups]
      return [
        `dn: ${groupDn(name as keyof typeof groups)}`,
        'objectClass: groupOfNames',
        `cn: ${group.cn}`,
        ...group.members.map((member) => line('member', dnOf(member))),
      ].join('\n')
    }),
    `dn: dc=globex,${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: globex\no: Globex`,
    `dn: ${GLOBEX_PEOPLE}\nobjectClass: organizationalUnit\nou: people`,
    personLdif(
      { uid: 'gary', cn: 'Gary Globex', mail: 'gary@globex.test', password: 'gary-password' },
      `uid=gary,${GLOBEX_PEOPLE}`
    ),
  ]
  return `${blocks.join('\n\n')}\n`
}

/** Active Directory's userAccountControl, on an auxiliary class so inetOrgPerson entries can carry it. */
const SCHEMA = `
attributetype ( 1.3.6.1.4.1.99999.1.1 NAME 'userAccountControl'
  EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.99999.2.1 NAME 'tandemTestAccount' AUXILIARY MAY userAccountControl )
`

/**
 * The service account reads everything but passwords; anonymous may only
 * bind (the user's own bind is the password check); people read themselves.
 */
const ACCESS = [
  'access to attrs=userPassword by self write by anonymous auth by * none',
  `access to * by dn.exact="${SERVICE.dn}" read by dn.exact="${LIMITED_SERVICE.dn}" read by self read by * none`,
  `limits dn.exact="${LIMITED_SERVICE.dn}" size=3`,
]

export function directoryOptions(extra: Partial<SlapdOptions> = {}): SlapdOptions {
  return {
    suffix: SUFFIX,
    seed: entries(),
    schema: SCHEMA,
    databaseConfig: [...ACCESS, ...(extra.databaseConfig ?? [])],
  }
}

/** The plugin settings for acme's directory, as an admin would enter them. */
export function acmeSettings(url: string, overrides: Record<string, unknown> = {}) {
  return {
    url,
    bind_dn: SERVICE.dn,
    bind_password: SERVICE.password,
    user_base_dn: PEOPLE,
    user_filter: '(&(objectClass=inetOrgPerson)(uid={{username}}))',
    disabled_filter: DISABLED_FILTER,
    group_base_dn: GROUPS,
    group_filter: '(&(objectClass=groupOfNames)(member={{dn}}))',
    role_mapping: [
      { group_dn: groupDn('admins'), role: 'admin' },
      { group_dn: groupDn('staff'), role: 'member' },
      { group_dn: groupDn('contractors'), role: 'guest' },
    ],
    ...overrides,
  }
}
