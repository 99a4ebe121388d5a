import { randomBytes } from 'node:crypto'
import { SignedXml } from 'xml-crypto'
import { certificateBody, createSigningKey, type SigningKey } from './signing_key.js'

const EMAIL_NAME_ID = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'

export interface AssertionSpec {
  /** The SP it is for: audience, recipient and destination unless given. */
  sp: { entityId: string; acsUrl: string }
  nameId: string
  nameIdFormat?: string
  attributes?: Record<string, string[]>
  issuer?: string
  audience?: string
  recipient?: string
  /** null: no Destination on the response. */
  destination?: string | null
  /** Of the response and of the bearer confirmation (IdP-initiated without). */
  inResponseTo?: string
  /** Only in the signed bearer confirmation, not on the response. */
  confirmationInResponseTo?: string
  assertionId?: string
  issuedAt?: Date
  notBefore?: Date
  notOnOrAfter?: Date
}

export const newId = () => `_${randomBytes(20).toString('hex')}`

const escape = (value: string) =>
  value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')

const at = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

export const encodeResponse = (xml: string) => Buffer.from(xml, 'utf8').toString('base64')

/**
 * An identity provider of the tests' own, with a key pair made for the
 * run: it writes SAML responses the way IdPs do (assertion signed with
 * exclusive c14n and RSA-SHA256, the signature after the assertion's
 * Issuer), so the attack specs can then change them as an attacker
 * would.
 */
export class TestIdp {
  private constructor(
    readonly entityId: string,
    readonly key: SigningKey
  ) {}

  static async create(folder: string, entityId = 'https://idp.example.test/saml') {
    return new TestIdp(entityId, await createSigningKey(folder, 'test-idp'))
  }

  get certificate() {
    return this.key.certificate
  }

  /** IdP metadata as an admin would paste it (saml_idp_metadata_xml). */
  metadataXml(ssoUrl = 'https://idp.example.test/sso') {
    return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${escape(this.entityId)}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="false">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificateBody(this.certificate)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>${EMAIL_NAME_ID}</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escape(ssoUrl)}/post"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${escape(ssoUrl)}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`
  }

  /** An unsigned assertion. */
  assertion(spec: AssertionSpec, id = spec.assertionId ?? newId()) {
    const now = Date.now()
    const issuedAt = spec.issuedAt ?? new Date(now)
    const notBefore = spec.notBefore ?? new Date(issuedAt.getTime() - 30_000)
    const notOnOrAfter = spec.notOnOrAfter ?? new Date(issuedAt.getTime() + 5 * 60_000)
    const inResponseTo = spec.confirmationInResponseTo ?? spec.inResponseTo
    const attributes = Object.entries(spec.attributes ?? {})
      .map(
        ([name, values]) =>
          `<saml:Attribute Name="${escape(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${values
            .map((value) => `<saml:AttributeValue>${escape(value)}</saml:AttributeValue>`)
            .join('')}</saml:Attribute>`
      )
      .join('')
    return (
      `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${at(issuedAt)}">` +
      `<saml:Issuer>${escape(spec.issuer ?? this.entityId)}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="${spec.nameIdFormat ?? EMAIL_NAME_ID}">${escape(spec.nameId)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
      `<saml:SubjectConfirmationData NotOnOrAfter="${at(notOnOrAfter)}" Recipient="${escape(spec.recipient ?? spec.sp.acsUrl)}"${inResponseTo ? ` InResponseTo="${inResponseTo}"` : ''}/>` +
      `</saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${at(notBefore)}" NotOnOrAfter="${at(notOnOrAfter)}">` +
      `<saml:AudienceRestriction><saml:Audience>${escape(spec.audience ?? spec.sp.entityId)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${at(issuedAt)}" SessionIndex="${newId()}"><saml:AuthnContext>` +
      `<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>` +
      `</saml:AuthnContext></saml:AuthnStatement>` +
      (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
      `</saml:Assertion>`
    )
  }

  /** A response around the assertion(s), unsigned as most IdPs send it. */
  envelope(spec: AssertionSpec, assertions: string) {
    const destination = spec.destination === undefined ? spec.sp.acsUrl : spec.destination
    return (
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${newId()}" Version="2.0" IssueInstant="${at(spec.issuedAt ?? new Date())}"` +
      (destination ? ` Destination="${escape(destination)}"` : '') +
      (spec.inResponseTo ? ` InResponseTo="${spec.inResponseTo}"` : '') +
      `><saml:Issuer>${escape(spec.issuer ?? this.entityId)}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
      assertions +
      `</samlp:Response>`
    )
  }

  /** Signs the assertion with that ID inside `xml` (enveloped, after its Issuer). */
  signAssertion(xml: string, assertionId: string) {
    const assertion = `//*[local-name(.)='Assertion' and @ID='${assertionId}']`
    const signer = new SignedXml({
      privateKey: this.key.privateKey,
      publicCert: this.key.certificate,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    })
    signer.addReference({
      xpath: assertion,
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      transforms: [
        'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
        'http://www.w3.org/2001/10/xml-exc-c14n#',
      ],
    })
    signer.computeSignature(xml, {
      prefix: 'ds',
      location: { reference: `${assertion}/*[local-name(.)='Issuer']`, action: 'after' },
    })
    return signer.getSignedXml()
  }

  /** A valid response: the assertion signed by this IdP. */
  signedResponse(spec: AssertionSpec) {
    const id = spec.assertionId ?? newId()
    return this.signAssertion(this.envelope(spec, this.assertion(spec, id)), id)
  }

  /** The same response with the assertion left unsigned. */
  unsignedResponse(spec: AssertionSpec) {
    return this.envelope(spec, this.assertion(spec))
  }
}
