import * as oidc from 'openid-client'
import type { PluginContext } from '#plugin-api'
import type { SsoSettings } from '../settings.js'
import { SignInRefused } from '../verified_identity.js'
import { isNetworkNotGranted } from './token_refusal.js'

type Context = PluginContext<SsoSettings>

/**
 * How long a workspace reuses its IdP's discovery document and signing
 * keys before asking again. Short, so a changed IdP (new endpoints,
 * rotated keys) is picked up within minutes; a key id the cache does not
 * know makes openid-client fetch the JWKS again anyway.
 */
const DISCOVERY_TTL_SECONDS = 300
const DISCOVERY_KEY = 'oidc:discovery'
const JWKS_KEY = 'oidc:jwks'

const DEFAULT_SCOPES = 'openid email profile'

/**
 * What one sign-in request may spend at the IdP (discovery, token, keys,
 * userinfo together), under the plugin's 10 s route limit: a slow IdP is
 * an audited refusal, not a plugin timeout counted towards auto-disable.
 */
const IDP_BUDGET_MS = 8000

/**
 * Plain-HTTP IdPs are allowed only on the loopback interface (a developer's
 * Keycloak, the tests' oidc-provider): openid-client refuses http
 * otherwise, and so do we. A production issuer is always https.
 */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

interface CachedDiscovery {
  issuer: string
  metadata: oidc.ServerMetadata
}

interface CachedJwks {
  issuer: string
  jwks: oidc.ExportedJWKSCache
}

/** The workspace's OIDC client: discovered IdP metadata, credentials, network through the plugin. */
export interface RelyingParty {
  config: oidc.Configuration
  /** The IdP's issuer identifier as discovered (the `iss` of its ID tokens). */
  issuer: string
  redirectUri: string
  scope: string
  /** Stores the JWKS openid-client fetched, so the next sign-in does not fetch it again. */
  saveKeys(): Promise<void>
}

function isLoopbackHttp(url: URL) {
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
}

/** The settings a sign-in needs, or `not_configured`. */
function configuredIssuer(context: Context) {
  const { oidc_enabled: enabled, oidc_issuer: issuer, oidc_client_id: clientId } = context.settings
  if (enabled !== true || !issuer || !clientId) {
    throw new SignInRefused('not_configured', 'oidc', {
      missing: !enabled ? 'oidc_enabled' : !issuer ? 'oidc_issuer' : 'oidc_client_id',
    })
  }
  return { issuer: new URL(issuer), clientId }
}

/** openid-client's requests go through the plugin's fetch (permission, time limit, signal). */
function pluginFetch(context: Context, deadline: number): oidc.CustomFetch {
  return (url, options) =>
    context.http(url, {
      method: options.method,
      headers: options.headers,
      body: options.body as BodyInit | undefined,
      redirect: options.redirect,
      signal: options.signal,
      timeoutMs: Math.max(1, deadline - Date.now()),
    })
}

/**
 * RFC 6749 section 2.3.1: HTTP Basic is the default every IdP supports;
 * client_secret_post only when the IdP says it takes nothing else. No
 * secret: a public client, protected by PKCE alone.
 */
function clientAuthentication(metadata: oidc.ServerMetadata, secret: string | undefined) {
  if (!secret) {
    return oidc.None()
  }
  const supported = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic']
  return supported.includes('client_secret_basic') || !supported.includes('client_secret_post')
    ? oidc.ClientSecretBasic(secret)
    : oidc.ClientSecretPost(secret)
}

/** With a loopback http issuer, every endpoint the server calls must be on loopback too. */
function checkInsecureEndpoints(metadata: oidc.ServerMetadata) {
  const endpoints = [
    metadata.authorization_endpoint,
    metadata.token_endpoint,
    metadata.jwks_uri,
    metadata.userinfo_endpoint,
  ]
  for (const endpoint of endpoints) {
    if (endpoint && !isLoopbackHttp(new URL(endpoint)) && new URL(endpoint).protocol !== 'https:') {
      throw new SignInRefused('discovery_failed', 'oidc', { endpoint })
    }
  }
}

async function discoveredMetadata(
  context: Context,
  fetchVia: oidc.CustomFetch,
  issuer: URL,
  clientId: string,
  insecure: boolean
) {
  const cached = await context.store.get<CachedDiscovery>(DISCOVERY_KEY)
  if (cached?.issuer === issuer.href) {
    return cached.metadata
  }
  let discovered: oidc.Configuration
  try {
    discovered = await oidc.discovery(issuer, clientId, undefined, oidc.None(), {
      [oidc.customFetch]: fetchVia,
      execute: insecure ? [oidc.allowInsecureRequests] : [],
    })
  } catch (error) {
    if (isNetworkNotGranted(error)) {
      throw new SignInRefused('not_configured', 'oidc', { missing_permission: 'network' })
    }
    throw new SignInRefused('discovery_failed', 'oidc', {
      issuer: issuer.href,
      message: error instanceof Error ? error.message : String(error),
    })
  }
  // Without the helper methods openid-client adds: the store keeps JSON.
  const metadata = JSON.parse(JSON.stringify(discovered.serverMetadata())) as oidc.ServerMetadata
  await context.store.set(
    DISCOVERY_KEY,
    { issuer: issuer.href, metadata } satisfies CachedDiscovery,
    { ttlSeconds: DISCOVERY_TTL_SECONDS }
  )
  return metadata
}

/**
 * The workspace's relying party, from its settings (the client secret
 * arrives decrypted; it is never logged nor audited) and its IdP's
 * discovery document (cached for a few minutes in the plugin store).
 * ID tokens are checked by openid-client: issuer, audience, expiry,
 * nonce, and also their signature against the IdP's JWKS (OIDC Core
 * 3.1.3.7 lets a client skip it for a token received over TLS; checking
 * it costs one cached fetch and holds even if TLS to the IdP does not).
 */
export async function relyingParty(context: Context): Promise<RelyingParty> {
  const { issuer, clientId } = configuredIssuer(context)
  const insecure = isLoopbackHttp(issuer)
  const fetchVia = pluginFetch(context, Date.now() + IDP_BUDGET_MS)
  const metadata = await discoveredMetadata(context, fetchVia, issuer, clientId, insecure)
  if (insecure) {
    checkInsecureEndpoints(metadata)
  }
  const secret = context.settings.oidc_client_secret
  const config = new oidc.Configuration(
    metadata,
    clientId,
    undefined,
    clientAuthentication(metadata, secret)
  )
  config[oidc.customFetch] = fetchVia
  if (insecure) {
    oidc.allowInsecureRequests(config)
  }
  oidc.enableNonRepudiationChecks(config)
  const keys = await context.store.get<CachedJwks>(JWKS_KEY)
  if (keys?.issuer === metadata.issuer) {
    oidc.setJwksCache(config, keys.jwks)
  }
  const scopes = new Set((context.settings.oidc_scopes ?? DEFAULT_SCOPES).split(/\s+/))
  scopes.add('openid')
  scopes.delete('')
  return {
    config,
    issuer: metadata.issuer,
    redirectUri: context.url('/auth/oidc/callback'),
    scope: [...scopes].join(' '),
    async saveKeys() {
      const jwks = oidc.getJwksCache(config)
      if (jwks && jwks.uat !== keys?.jwks.uat) {
        await context.store.set(JWKS_KEY, { issuer: metadata.issuer, jwks } satisfies CachedJwks, {
          ttlSeconds: DISCOVERY_TTL_SECONDS,
        })
      }
    },
  }
}
