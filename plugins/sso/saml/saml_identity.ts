import type { SsoSettings } from '../settings.js'
import { SignInRefused, type VerifiedIdentity } from '../verified_identity.js'
import type { SignedAssertion } from './signed_assertion.js'

/**
 * Where IdPs put the email, name and groups when the admin names no
 * attribute: plain names (SimpleSAMLphp, Okta), the WS-Federation claim
 * URIs (Entra ID, AD FS) and the LDAP OIDs (eduPerson/InCommon).
 */
const EMAIL_ATTRIBUTES = [
  'email',
  'mail',
  'emailAddress',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  'urn:oid:0.9.2342.19200300.100.1.3',
]
const NAME_ATTRIBUTES = [
  'displayName',
  'name',
  'http://schemas.microsoft.com/identity/claims/displayname',
  'urn:oid:2.16.840.1.113730.3.1.241',
  'cn',
  'urn:oid:2.5.4.3',
]
const GIVEN_NAME_ATTRIBUTES = [
  'givenName',
  'firstName',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  'urn:oid:2.5.4.42',
]
const SURNAME_ATTRIBUTES = [
  'sn',
  'surname',
  'lastName',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  'urn:oid:2.5.4.4',
]
const GROUP_ATTRIBUTES = [
  'groups',
  'memberOf',
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
  'urn:oid:1.3.6.1.4.1.5923.1.5.1.1',
]

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>".]+$/

function firstOf(assertion: SignedAssertion, names: string[]) {
  for (const name of names) {
    const value = assertion.attributes.get(name)?.[0]?.trim()
    if (value) {
      return value
    }
  }
  return null
}

function emailOf(settings: SsoSettings, assertion: SignedAssertion) {
  if (settings.saml_email_attribute) {
    return firstOf(assertion, [settings.saml_email_attribute])
  }
  const nameId = assertion.nameId?.trim() ?? ''
  return firstOf(assertion, EMAIL_ATTRIBUTES) ?? (EMAIL.test(nameId) ? nameId : null)
}

function fullNameOf(settings: SsoSettings, assertion: SignedAssertion) {
  if (settings.saml_name_attribute) {
    return firstOf(assertion, [settings.saml_name_attribute])
  }
  const parts = [firstOf(assertion, GIVEN_NAME_ATTRIBUTES), firstOf(assertion, SURNAME_ATTRIBUTES)]
  const joined = parts.filter(Boolean).join(' ')
  return firstOf(assertion, NAME_ATTRIBUTES) ?? (joined || null)
}

function groupsOf(settings: SsoSettings, assertion: SignedAssertion) {
  const names = settings.saml_groups_attribute ? [settings.saml_groups_attribute] : GROUP_ATTRIBUTES
  return [...new Set(names.flatMap((name) => assertion.attributes.get(name) ?? []))]
}

/** Who the signed assertion says signed in, mapped with the workspace's attribute settings. */
export function samlIdentity(
  settings: SsoSettings,
  assertion: SignedAssertion,
  issuer: string,
  returnUrl: string | null
): VerifiedIdentity {
  const email = emailOf(settings, assertion)
  if (!email) {
    throw new SignInRefused('no_email', 'saml', {
      subject: assertion.nameId,
      attribute: settings.saml_email_attribute ?? null,
    })
  }
  if (email.length > 254 || !EMAIL.test(email)) {
    throw new SignInRefused('invalid_email', 'saml', { subject: assertion.nameId, email })
  }
  return {
    protocol: 'saml',
    issuer,
    subject: assertion.nameId!,
    email,
    fullName: fullNameOf(settings, assertion)?.slice(0, 200) ?? null,
    groups: groupsOf(settings, assertion),
    returnUrl,
  }
}
