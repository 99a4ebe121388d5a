import { attributeOf, childElements, NS, parseXml } from './saml_xml.js'

const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect'

/** What an IdP's SAML metadata says about it, as far as this SP needs. */
export interface IdpMetadata {
  entityId: string
  /** SingleSignOnService with the HTTP-Redirect binding (the one AuthnRequests are sent by). */
  ssoUrl: string | null
  /** Base64 DER bodies of its signing certificates (several during a key rollover). */
  certificates: string[]
}

function identityProviders(root: Element): Element[] {
  if (root.namespaceURI !== NS.metadata) {
    return []
  }
  if (root.localName === 'EntityDescriptor') {
    return childElements(root, NS.metadata, 'IDPSSODescriptor').length > 0 ? [root] : []
  }
  if (root.localName === 'EntitiesDescriptor') {
    return [
      ...childElements(root, NS.metadata, 'EntityDescriptor'),
      ...childElements(root, NS.metadata, 'EntitiesDescriptor'),
    ].flatMap(identityProviders)
  }
  return []
}

function redirectLocation(descriptor: Element, service: string) {
  const endpoint = childElements(descriptor, NS.metadata, service).find(
    (element) => attributeOf(element, 'Binding') === REDIRECT_BINDING
  )
  return endpoint ? attributeOf(endpoint, 'Location') : null
}

function signingCertificates(descriptor: Element) {
  return childElements(descriptor, NS.metadata, 'KeyDescriptor')
    .filter((key) => (attributeOf(key, 'use') ?? 'signing') === 'signing')
    .flatMap((key) => childElements(key, NS.dsig, 'KeyInfo'))
    .flatMap((info) => childElements(info, NS.dsig, 'X509Data'))
    .flatMap((data) => childElements(data, NS.dsig, 'X509Certificate'))
    .map((certificate) => (certificate.textContent ?? '').replace(/\s+/g, ''))
    .filter((body) => body.length > 0)
}

/**
 * Reads an IdP's metadata (an EntityDescriptor, or an EntitiesDescriptor
 * holding several: then `entityId` picks one, or there must be only one).
 * Throws with a message an admin can act on.
 */
export function parseIdpMetadata(xml: string, entityId?: string): IdpMetadata {
  const candidates = identityProviders(parseXml(xml).documentElement)
  const chosen = entityId
    ? candidates.filter((entity) => attributeOf(entity, 'entityID') === entityId)
    : candidates
  if (chosen.length === 0) {
    throw new Error(
      entityId
        ? `The metadata has no identity provider with entity id ${entityId}`
        : 'The metadata has no identity provider (IDPSSODescriptor)'
    )
  }
  if (chosen.length > 1) {
    throw new Error('The metadata holds several identity providers: set saml_idp_entity_id')
  }
  const entity = chosen[0]
  const descriptor = childElements(entity, NS.metadata, 'IDPSSODescriptor')[0]
  return {
    entityId: attributeOf(entity, 'entityID') ?? '',
    ssoUrl: redirectLocation(descriptor, 'SingleSignOnService'),
    certificates: signingCertificates(descriptor),
  }
}
