import vine from '@vinejs/vine'
import { type PluginRoute, reply } from '#plugin-api'
import { signInWithDirectory } from './directory_sign_in.js'
import type { LdapSettings } from './settings.js'

/**
 * What the sign-in form sends. The user name is bounded (directory
 * names are short; the filter stays small) but otherwise taken as typed:
 * escaping, not refusing, is what makes `*` or `)(` harmless. The password
 * is never trimmed: spaces may be part of it.
 */
const signInValidator = vine.create(
  vine.object({
    username: vine.string().trim().minLength(1).maxLength(256),
    // Missing, null or blank all get the same E_LDAP_EMPTY_PASSWORD, before any bind.
    password: vine.string().maxLength(1024).nullable().optional(),
  })
)

function header(value: string | string[] | undefined) {
  return (Array.isArray(value) ? value[0] : value) ?? null
}

export const signInRoute: PluginRoute<LdapSettings> = {
  method: 'post',
  path: '/login',
  auth: 'public',
  summary: 'Sign in with directory credentials; answers an access token like POST /auth/login',
  async handler(context, request) {
    const input = await signInValidator.validate(request.body)
    const session = await signInWithDirectory(context, {
      username: input.username,
      password: input.password ?? '',
      ip: request.ip,
      userAgent: header(request.headers['user-agent']),
    })
    return reply({
      status: 201,
      body: {
        data: {
          token: session.token,
          type: 'bearer',
          expires_at: session.expires_at,
          user: session.member,
        },
      },
    })
  },
}
