import type { Profile } from '@node-saml/node-saml'
import { SignInRefused } from '../verified_identity.js'

/** node-saml's xml2js view of an element: attributes in `$`, text in `_`, children by local name. */
type XmlJs = { $?: Record<string, string>; _?: string } & Record<string, unknown>

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer'

export interface SubjectConfirmation {
  recipient: string | null
  notBefore: string | null
  notOnOrAfter: string | null
  inResponseTo: string | null
}

/**
 * The assertion exactly as the IdP signed it: read from the canonical
 * XML node-saml verified (`profile.getAssertion()`), never from the
 * posted document, so a wrapped or edited copy cannot speak for it. The
 * canonical form has no comments, so a NameID with a comment injected
 * reads as its whole text.
 */
export interface SignedAssertion {
  id: string | null
  issuer: string | null
  issueInstant: string | null
  nameId: string | null
  nameIdFormat: string | null
  bearerConfirmations: SubjectConfirmation[]
  /** Attribute name → its string values. */
  attributes: Map<string, string[]>
}

function children(parent: unknown, name: string): XmlJs[] {
  const value = (parent as Record<string, unknown> | undefined)?.[name]
  return Array.isArray(value) ? (value as XmlJs[]) : []
}

function textOf(node: unknown): string | null {
  if (typeof node === 'string') {
    return node
  }
  const text = (node as XmlJs | undefined)?._
  return typeof text === 'string' ? text : null
}

function attributesOf(assertion: XmlJs) {
  const attributes = new Map<string, string[]>()
  for (const statement of children(assertion, 'AttributeStatement')) {
    for (const attribute of children(statement, 'Attribute')) {
      const name = attribute.$?.Name
      if (!name) {
        continue
      }
      const values = children(attribute, 'AttributeValue')
        .map(textOf)
        .filter((value): value is string => value !== null && value.trim() !== '')
      attributes.set(name, [...(attributes.get(name) ?? []), ...values])
    }
  }
  return attributes
}

export function signedAssertionOf(profile: Profile): SignedAssertion {
  const assertion = (profile.getAssertion?.() as { Assertion?: XmlJs } | undefined)?.Assertion
  if (!assertion) {
    throw new SignInRefused('no_assertion', 'saml')
  }
  const subject = children(assertion, 'Subject')[0]
  const nameId = children(subject, 'NameID')[0]
  return {
    id: assertion.$?.ID ?? null,
    issuer: textOf(children(assertion, 'Issuer')[0]),
    issueInstant: assertion.$?.IssueInstant ?? null,
    nameId: textOf(nameId),
    nameIdFormat: nameId?.$?.Format ?? null,
    bearerConfirmations: children(subject, 'SubjectConfirmation')
      .filter((confirmation) => confirmation.$?.Method === BEARER)
      .map((confirmation) => {
        const data = children(confirmation, 'SubjectConfirmationData')[0]?.$ ?? {}
        return {
          recipient: data.Recipient ?? null,
          notBefore: data.NotBefore ?? null,
          notOnOrAfter: data.NotOnOrAfter ?? null,
          inResponseTo: data.InResponseTo ?? null,
        }
      }),
    attributes: attributesOf(assertion),
  }
}
