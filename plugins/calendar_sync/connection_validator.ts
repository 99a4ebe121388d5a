import vine from '@vinejs/vine'

const httpUrl = () =>
  vine
    .string()
    .trim()
    .url({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })

/** PUT /connection: a member's own CalDAV account. */
export const connectionValidator = vine.create({
  /** Defaults to the workspace's `default_server_url`. */
  server_url: httpUrl().optional(),
  username: vine.string().trim().minLength(1).maxLength(255),
  /** An app password where the provider has them (iCloud, Fastmail, Nextcloud). */
  app_password: vine.string().minLength(1).maxLength(1024),
  /** Else the account's first calendar that holds to-dos. */
  calendar_url: httpUrl().optional(),
})
