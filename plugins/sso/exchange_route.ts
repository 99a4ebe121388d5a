import vine from '@vinejs/vine'
import { PluginError, type PluginRoute } from '#plugin-api'
import type { SsoSettings } from './settings.js'
import { codeHash } from './sign_in.js'

const exchangeInput = vine.create(vine.object({ code: vine.string().minLength(20).maxLength(100) }))

/** The browser trades the one-time code of its redirect for its access token. */
export const exchangeRoute: PluginRoute<SsoSettings> = {
  method: 'post',
  path: '/exchange',
  auth: 'public',
  summary: 'Trade the one-time code of an SSO redirect for an access token (once, within 60 s)',
  async handler(context, request) {
    const { code } = await exchangeInput.validate(request.body)
    const [row] = await context.db
      .table('login_codes')
      .where('code_hash', codeHash(code))
      .delete()
      .returning(['token_encrypted', 'expires_at'])
    if (!row || new Date(row.expires_at) <= new Date()) {
      throw new PluginError('E_INVALID_CODE', 'This code is invalid, used or expired', 400, 'code')
    }
    const session = JSON.parse(context.secrets.decrypt(row.token_encrypted) ?? 'null')
    return { ...session, type: 'bearer' }
  },
}
