import { createHash, X509Certificate } from 'node:crypto'
import type { PluginContext } from '#plugin-api'
import type { SsoSettings } from '../settings.js'
import { SignInRefused } from '../verified_identity.js'
import { type IdpMetadata, parseIdpMetadata } from './idp_metadata.js'

type Context = PluginContext<SsoSettings>

/** The workspace's IdP, from its settings and metadata. */
export interface IdentityProvider {
  entityId: string
  ssoUrl: string
  /** PEM certificates whose signatures are trusted. */
  certificates: string[]
}

/** Fetched metadata is used for an hour, and kept as the fallback while the URL fails. */
const METADATA_MAX_AGE_MS = 60 * 60 * 1000
const METADATA_TIMEOUT_MS = 5000
const METADATA_MAX_BYTES = 1_000_000

interface CachedMetadata {
  url: string
  xml: string
  fetched_at: number
}

const notConfigured = (detail: string) => new SignInRefused('not_configured', 'saml', { detail })

/** Base64 DER body → PEM; a PEM stays as it is. */
function pem(certificate: string) {
  const body = certificate.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '')
  const lines = body.match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}

/** One PEM block or bare base64 body per certificate; several may be pasted (key rollover). */
function certificatesOf(setting: string) {
  const blocks = setting.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)
  const bodies = blocks ?? [setting]
  return bodies.map(pem).filter((certificate) => /[A-Za-z0-9+/]{20}/.test(certificate))
}

async function fetchMetadata(context: Context, url: string) {
  const key = `saml:idp_metadata:${createHash('sha256').update(url).digest('hex').slice(0, 16)}`
  const cached = await context.store.get<CachedMetadata>(key)
  if (cached && cached.url === url && Date.now() - cached.fetched_at < METADATA_MAX_AGE_MS) {
    return cached.xml
  }
  try {
    const response = await context.http(url, {
      timeoutMs: METADATA_TIMEOUT_MS,
      headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' },
    })
    const xml = await response.text()
    if (!response.ok || xml.length > METADATA_MAX_BYTES) {
      throw new Error(`the metadata URL answered ${response.status} (${xml.length} bytes)`)
    }
    parseIdpMetadata(xml, context.settings.saml_idp_entity_id)
    await context.store.set(key, { url, xml, fetched_at: Date.now() })
    return xml
  } catch (error) {
    if (cached?.url === url) {
      context.logger.warn({ err: error }, 'SAML metadata refresh failed, using the last copy')
      return cached.xml
    }
    throw notConfigured(`IdP metadata could not be fetched: ${(error as Error).message}`)
  }
}

async function metadataOf(context: Context): Promise<IdpMetadata | null> {
  const { saml_idp_metadata_xml: xml, saml_idp_metadata_url: url } = context.settings
  const source = xml ?? (url ? await fetchMetadata(context, url) : null)
  if (!source) {
    return null
  }
  try {
    return parseIdpMetadata(source, context.settings.saml_idp_entity_id)
  } catch (error) {
    throw notConfigured(`IdP metadata unusable: ${(error as Error).message}`)
  }
}

/**
 * The IdP this workspace trusts: its metadata (XML, or fetched from its
 * URL) with the values given one by one taking precedence. Throws
 * `not_configured` when SAML is off or something needed is missing.
 */
export async function identityProviderOf(context: Context): Promise<IdentityProvider> {
  const settings = context.settings
  if (settings.saml_enabled !== true) {
    throw notConfigured('SAML is not enabled (saml_enabled)')
  }
  const metadata = await metadataOf(context)
  const entityId = settings.saml_idp_entity_id ?? metadata?.entityId
  const ssoUrl = settings.saml_idp_sso_url ?? metadata?.ssoUrl
  const certificates = settings.saml_idp_certificate
    ? certificatesOf(settings.saml_idp_certificate)
    : (metadata?.certificates ?? []).map(pem)
  if (!entityId || !ssoUrl || certificates.length === 0) {
    throw notConfigured('The IdP entity id, SSO URL (HTTP-Redirect) and certificate are all needed')
  }
  for (const certificate of certificates) {
    try {
      new X509Certificate(certificate)
    } catch {
      throw notConfigured('The IdP certificate is not a readable X.509 certificate')
    }
  }
  return { entityId, ssoUrl, certificates }
}
