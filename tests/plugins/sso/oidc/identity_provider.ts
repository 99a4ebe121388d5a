import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'

/** A person known to the IdP, with the claims it releases about them. */
export interface IdpAccount {
  sub: string
  email?: string
  email_verified?: boolean
  name?: string
  groups?: string[]
}

/**
 * What a misbehaving IdP (or someone holding its keys, or a proxy in the
 * middle) does to the next ID tokens: changed claims, re-signed with the
 * IdP's own key unless `foreignKey`.
 */
export interface IdTokenTampering {
  claims?: (claims: Record<string, unknown>) => Record<string, unknown>
  foreignKey?: boolean
}

const KEY_ID = 'tandem-test-key'

function base64url(value: string | Buffer) {
  return Buffer.from(value).toString('base64url')
}

function rsaKey() {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
}

/** A compact JWS with the same header, `claims` changed, signed RS256 with `key`. */
function resign(token: string, claims: IdTokenTampering['claims'], key: KeyObject) {
  const [header, payload] = token.split('.')
  const original = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  const body = `${header}.${base64url(JSON.stringify(claims ? claims(original) : original))}`
  return `${body}.${base64url(sign('sha256', Buffer.from(body), key))}`
}

function cookieHeader(jar: Map<string, string>) {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}

/**
 * A real OpenID Provider (oidc-provider, certified) on a free loopback
 * port, with one confidential client, PKCE required and ID tokens signed
 * with a key this helper holds. Its login and consent pages are replaced
 * by an interaction the test drives: `signIn(url, { as })` is a browser
 * that follows the authorization request, "logs in" as that account,
 * and stops at the redirect back to the relying party.
 */
export class TestIdentityProvider {
  readonly clientId = 'tandem-test-client'
  readonly clientSecret = 'tandem-test-client-secret-3f9a1c'
  readonly accounts = new Map<string, IdpAccount>()
  tampering: IdTokenTampering | null = null

  readonly #signingKey = rsaKey()
  readonly #foreignKey = rsaKey()
  #provider!: Provider
  #handle?: (request: IncomingMessage, response: ServerResponse) => void
  readonly #server = createServer((request, response) => this.#route(request, response))

  get issuer() {
    return this.#provider.issuer
  }

  async start(redirectUris: string[]) {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    const { port } = this.#server.address() as AddressInfo
    const jwk = this.#signingKey.export({ format: 'jwk' })
    this.#provider = new Provider(`http://127.0.0.1:${port}`, {
      clients: [
        {
          client_id: this.clientId,
          client_secret: this.clientSecret,
          redirect_uris: redirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      jwks: { keys: [{ ...jwk, kid: KEY_ID, alg: 'RS256', use: 'sig' }] },
      findAccount: async (_ctx: unknown, sub: string) => {
        const account = this.accounts.get(sub)
        return account && { accountId: sub, claims: async () => ({ ...account }) }
      },
      claims: {
        openid: ['sub'],
        email: ['email', 'email_verified'],
        profile: ['name'],
        groups: ['groups'],
      },
      scopes: ['openid', 'email', 'profile', 'groups'],
      features: { devInteractions: { enabled: false } },
      interactions: {
        url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
      },
      pkce: { required: () => true },
      cookies: { keys: ['tandem-test-cookie-key'] },
      ttl: {
        AccessToken: 600,
        AuthorizationCode: 60,
        Grant: 600,
        IdToken: 600,
        Interaction: 600,
        Session: 600,
      },
    })
    this.#provider.use(async (ctx, next) => {
      await next()
      const body = ctx.body as { id_token?: unknown } | undefined
      if (ctx.path === '/token' && this.tampering && typeof body?.id_token === 'string') {
        const key = this.tampering.foreignKey ? this.#foreignKey : this.#signingKey
        ctx.body = { ...body, id_token: resign(body.id_token, this.tampering.claims, key) }
      }
    })
    return this
  }

  /** Forgets the accounts and the tampering of the previous test. */
  reset() {
    this.accounts.clear()
    this.tampering = null
  }

  account(account: IdpAccount) {
    this.accounts.set(account.sub, account)
    return account
  }

  /**
   * A fresh browser at the IdP: follows `authorizationUrl`, signs in as
   * `as` (or declines with `deny`) and returns the URL the IdP redirects
   * back to (the relying party's callback, with code or error).
   */
  async signIn(authorizationUrl: string, choice: { as: string } | { deny: true }) {
    const jar = new Map<string, string>()
    let location = new URL(authorizationUrl)
    for (let hop = 0; hop < 10; hop++) {
      if (location.origin !== new URL(this.issuer).origin) {
        return location
      }
      if (location.pathname.startsWith('/interaction/')) {
        location.searchParams.set('as', 'as' in choice ? choice.as : '')
      }
      const response = await fetch(location, {
        redirect: 'manual',
        headers: { cookie: cookieHeader(jar) },
      })
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(';')
        const split = pair.indexOf('=')
        jar.set(pair.slice(0, split), pair.slice(split + 1))
      }
      const next = response.headers.get('location')
      if (!next) {
        throw new Error(`The IdP answered ${response.status}: ${await response.text()}`)
      }
      location = new URL(next, location)
    }
    throw new Error('Too many redirects at the IdP')
  }

  async stop() {
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #route(request: IncomingMessage, response: ServerResponse) {
    if (request.url?.startsWith('/interaction/')) {
      this.#interact(request, response).catch((error) => {
        response.statusCode = 500
        response.end(String(error))
      })
      return
    }
    this.#handle ??= this.#provider.callback()
    this.#handle(request, response)
  }

  /** The login and consent pages, as the test chose: this account, everything asked granted. */
  async #interact(request: IncomingMessage, response: ServerResponse) {
    const accountId = new URL(request.url!, this.issuer).searchParams.get('as')
    const details = await this.#provider.interactionDetails(request, response)
    if (!accountId) {
      await this.#provider.interactionFinished(
        request,
        response,
        { error: 'access_denied', error_description: 'The member declined' },
        { mergeWithLastSubmission: false }
      )
      return
    }
    const grant = new this.#provider.Grant({
      accountId,
      clientId: String(details.params.client_id),
    })
    grant.addOIDCScope(String(details.params.scope))
    const grantId = await grant.save()
    await this.#provider.interactionFinished(
      request,
      response,
      { login: { accountId }, consent: { grantId } },
      { mergeWithLastSubmission: false }
    )
  }
}

export async function startIdentityProvider(redirectUris: string[]) {
  return new TestIdentityProvider().start(redirectUris)
}
