/* eslint-disable @unicorn/no-await-expression-member -- these specs read an awaited response inline, one request per line */
import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { directoryOptions, people } from './directory_seed.js'
import { acmeWithDirectory, auditOf, signIn } from './ldap_helpers.js'
import { needsSlapd, type SlapdServer, startSlapd } from './slapd.js'

test.group('ldap over TLS (ldaps:// and StartTLS), against OpenLDAP', (group) => {
  needsSlapd(group, { tls: true })
  let slapd: SlapdServer
  group.setup(async () => {
    slapd = await startSlapd({ ...directoryOptions(), tls: true })
    return () => slapd.stop()
  })
  group.each.setup(() => resetDatabase())

  const ada = { username: 'ada', password: people.ada.password }

  test('ldaps:// with the workspace’s CA certificate signs in', async ({ client }) => {
    const { tenant } = await acmeWithDirectory(client, slapd.ldapsUrl!, {
      tls_ca_cert: slapd.caCert,
    })

    ;(await signIn(client, tenant, ada)).assertStatus(201)
  })

  test('StartTLS upgrades an ldap:// connection before any bind', async ({ client, assert }) => {
    const { tenant } = await acmeWithDirectory(client, slapd.url, {
      start_tls: true,
      tls_ca_cert: slapd.caCert,
    })

    ;(await signIn(client, tenant, ada)).assertStatus(201)
    // slapd logs the security strength of each bind: > 0 means it was encrypted.
    const binds = slapd
      .log()
      .split('\n')
      .filter((line) => line.includes('mech=SIMPLE'))
    assert.isNotEmpty(binds)
    assert.isTrue(binds.slice(-2).every((line) => !/ ssf=0\b/.test(line)))
  })

  test('a server certificate that does not verify is refused: 503, audited as a TLS failure', async ({
    client,
    assert,
  }) => {
    const ldaps = await acmeWithDirectory(client, slapd.ldapsUrl!)

    const response = await signIn(client, ldaps.tenant, ada)

    response.assertStatus(503)
    assert.equal(errorCode(response), 'E_LDAP_DIRECTORY_UNAVAILABLE')
    const [failure] = await auditOf(client, ldaps.tenant, 'ldap.login_failed')
    assert.equal(failure.metadata!.reason, 'directory_tls')
  })

  test('StartTLS without the CA is refused unless verification is turned off', async ({
    client,
  }) => {
    const { tenant, owner } = await acmeWithDirectory(client, slapd.url, { start_tls: true })

    ;(await signIn(client, tenant, ada)).assertStatus(503)
    ;(await owner.patch('/plugins/ldap/settings', { tls_reject_unauthorized: false })).assertStatus(
      200
    )
    ;(await signIn(client, tenant, ada)).assertStatus(201)
  })
})
