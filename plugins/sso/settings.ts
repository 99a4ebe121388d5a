import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'

const role = () => vine.enum(['admin', 'member', 'guest'] as const)

/**
 * One workspace's SSO setup (README: Settings). Flat, so the runtime can
 * encrypt the secret ones (the IdP certificate, the OIDC client secret).
 */
export const settingsSchema = vine.object({
  // SAML 2.0: the IdP's metadata (XML, or a URL to fetch it from), or its
  // entity id, SSO URL and signing certificate given one by one.
  saml_enabled: vine.boolean().optional(),
  saml_idp_metadata_xml: vine.string().maxLength(200_000).optional(),
  saml_idp_metadata_url: vine.string().url({ require_tld: false }).optional(),
  saml_idp_entity_id: vine.string().maxLength(1000).optional(),
  saml_idp_sso_url: vine.string().url({ require_tld: false }).optional(),
  saml_idp_slo_url: vine.string().url({ require_tld: false }).optional(),
  saml_idp_certificate: vine.string().maxLength(20_000).optional(),
  /** Assertion attributes holding the email, the display name and the groups. */
  saml_email_attribute: vine.string().maxLength(300).optional(),
  saml_name_attribute: vine.string().maxLength(300).optional(),
  saml_groups_attribute: vine.string().maxLength(300).optional(),

  // OpenID Connect: discovery from the issuer, authorization code + PKCE.
  oidc_enabled: vine.boolean().optional(),
  oidc_issuer: vine.string().url({ require_tld: false }).optional(),
  oidc_client_id: vine.string().maxLength(500).optional(),
  oidc_client_secret: vine.string().maxLength(2000).optional(),
  oidc_scopes: vine.string().maxLength(500).optional(),
  oidc_groups_claim: vine.string().maxLength(100).optional(),

  // Both protocols.
  /** Create a member on their first sign-in (default true). */
  jit_provisioning: vine.boolean().optional(),
  /** Only emails of these domains may sign in (none: any). */
  allowed_email_domains: vine
    .array(vine.string().toLowerCase().maxLength(253))
    .maxLength(50)
    .optional(),
  /** IdP groups → workspace role; the highest wins, owners are never changed. */
  group_roles: vine
    .array(vine.object({ group: vine.string().maxLength(500), role: role() }))
    .maxLength(100)
    .optional(),
  /** Where the browser goes after signing in, with ?code= to exchange (default: the workspace root). */
  return_url: vine.string().url({ require_tld: false }).optional(),
})

export type SsoSettings = Infer<typeof settingsSchema>

export const SECRET_SETTINGS = ['saml_idp_certificate', 'oidc_client_secret'] as const
