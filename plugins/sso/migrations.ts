import type { PluginMigration } from '#plugin-api'

export const migrations: PluginMigration[] = [
  {
    name: '0001_create_identities_requests_replays',
    async up(schema) {
      // Account links: the IdP's subject for a member, so a changed email
      // at the IdP still signs in the same member.
      await schema.createTable('identities', (table) => {
        table.string('protocol', 8).notNullable()
        table.text('issuer').notNullable()
        table.text('subject').notNullable()
        table.integer('member_id').notNullable()
        table.timestamp('linked_at', { useTz: true }).notNullable()
        table.timestamp('last_login_at', { useTz: true })
        table.primary(['protocol', 'issuer', 'subject'])
        table.index(['member_id'])
      })
      // Sign-ins this SP started (SAML AuthnRequest ids for InResponseTo;
      // OIDC state with its nonce and PKCE verifier): used once, then gone.
      await schema.createTable('pending_requests', (table) => {
        table.string('id', 200).primary()
        table.string('protocol', 8).notNullable()
        table.text('nonce')
        table.text('code_verifier')
        table.text('return_url')
        table.timestamp('expires_at', { useTz: true }).notNullable()
      })
      // Assertion ids (and other one-time values) already accepted: a
      // replay hits the primary key.
      await schema.createTable('used_assertions', (table) => {
        table.string('id', 300).primary()
        table.timestamp('expires_at', { useTz: true }).notNullable()
      })
      // One-time codes the browser trades for its access token.
      await schema.createTable('login_codes', (table) => {
        table.string('code_hash', 64).primary()
        table.text('token_encrypted').notNullable()
        table.timestamp('expires_at', { useTz: true }).notNullable()
      })
    },
  },
]
