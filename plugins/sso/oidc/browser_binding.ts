import { timingSafeEqual } from 'node:crypto'
import type { PluginRequest } from '#plugin-api'

const COOKIE = 'tandem_oidc_state'
const PATH = '/auth/oidc'

/**
 * The state of a sign-in is also kept in a cookie of the browser that
 * started it, so a callback is accepted only in that browser: someone who
 * sends a victim their own callback URL (login CSRF, RFC 6749 section
 * 10.12) does not sign the victim in as themselves. SameSite=Lax: the
 * IdP's redirect back is a top-level GET, which carries it.
 */
export function bindingCookie(state: string, secure: boolean, maxAgeSeconds: number) {
  return `${COOKIE}=${state}; Path=${PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`
}

/** Sent with every callback answer: a state is used once. */
export function clearedBindingCookie(secure: boolean) {
  return bindingCookie('', secure, 0)
}

function cookieOf(request: PluginRequest) {
  const header = request.headers.cookie
  const cookies = (Array.isArray(header) ? header.join(';') : (header ?? '')).split(';')
  for (const cookie of cookies) {
    const [name, ...value] = cookie.trim().split('=')
    if (name === COOKIE) {
      return value.join('=')
    }
  }
  return null
}

/** Whether this browser started the sign-in of `state`. */
export function isBoundTo(request: PluginRequest, state: string) {
  const bound = Buffer.from(cookieOf(request) ?? '')
  const expected = Buffer.from(state)
  return bound.length === expected.length && timingSafeEqual(bound, expected)
}
