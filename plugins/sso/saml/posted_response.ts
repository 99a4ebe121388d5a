import { SignInRefused } from '../verified_identity.js'
import { attributeOf, childElements, NS, parseXml } from './saml_xml.js'

/** Far above any real response (a few KB; large group lists reach ~100 KB). */
const MAX_RESPONSE_BYTES = 512 * 1024

/**
 * A SAMLResponse as posted, before any signature is checked: nothing in
 * it is trusted. It serves the checks that need the envelope (the
 * Destination, which an assertion-only signature does not cover), an
 * early replay answer, and precise refusal reasons; every decision on
 * the identity is taken on what node-saml verified.
 */
export interface PostedResponse {
  encoded: string
  xml: string
  destination: string | null
  inResponseTo: string | null
  /** The top-level StatusCode's value. */
  status: string | null
  assertions: Array<{ id: string | null; signed: boolean }>
}

function statusOf(root: Element) {
  const status = childElements(root, NS.protocol, 'Status')[0]
  const code = status ? childElements(status, NS.protocol, 'StatusCode')[0] : undefined
  return code ? attributeOf(code, 'Value') : null
}

export function readPostedResponse(encoded: unknown): PostedResponse {
  const malformed = (detail: string) => new SignInRefused('malformed', 'saml', { detail })
  if (typeof encoded !== 'string' || encoded.length === 0) {
    throw malformed('No SAMLResponse in the form')
  }
  if (encoded.length > (MAX_RESPONSE_BYTES * 4) / 3) {
    throw malformed('The SAMLResponse is too large')
  }
  const compact = encoded.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    throw malformed('The SAMLResponse is not base64')
  }
  const xml = Buffer.from(compact, 'base64').toString('utf8')
  let root: Element
  try {
    root = parseXml(xml).documentElement
  } catch (error) {
    throw malformed((error as Error).message)
  }
  if (root.localName !== 'Response' || root.namespaceURI !== NS.protocol) {
    throw malformed(`Expected a samlp:Response, got ${root.localName}`)
  }
  return {
    encoded: compact,
    xml,
    destination: attributeOf(root, 'Destination'),
    inResponseTo: attributeOf(root, 'InResponseTo'),
    status: statusOf(root),
    assertions: childElements(root, NS.assertion, 'Assertion').map((assertion) => ({
      id: attributeOf(assertion, 'ID'),
      signed: childElements(assertion, NS.dsig, 'Signature').length > 0,
    })),
  }
}
