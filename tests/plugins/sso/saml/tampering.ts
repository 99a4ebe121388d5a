/**
 * What an attacker holding one validly signed response (their own
 * account's) does to it: the XML signature wrapping (XSW) family, edits
 * after signing, and the comment trick. Each takes the response XML as
 * TestIdp wrote it (one `<saml:Assertion>`, its `<ds:Signature>`) and
 * returns the forged XML.
 */

function slice(xml: string, open: string, close: string) {
  const start = xml.indexOf(open)
  const end = xml.indexOf(close, start)
  if (start < 0 || end < 0) {
    throw new Error(`No ${open} in the response`)
  }
  return { start, end: end + close.length, text: xml.slice(start, end + close.length) }
}

const assertionOf = (xml: string) => slice(xml, '<saml:Assertion', '</saml:Assertion>')
const signatureOf = (xml: string) => slice(xml, '<ds:Signature', '</ds:Signature>')

function replaceSlice(xml: string, part: { start: number; end: number }, text: string) {
  return xml.slice(0, part.start) + text + xml.slice(part.end)
}

/** Puts `forged` (an unsigned assertion) before the signed one, as a sibling. */
export function withSiblingAssertion(signed: string, forged: string) {
  const original = assertionOf(signed)
  return replaceSlice(signed, original, forged + original.text)
}

/** Replaces the signed assertion with `forged`, the signed one hidden inside it (XSW4). */
export function signedNestedInForged(signed: string, forged: string) {
  const original = assertionOf(signed)
  const closing = forged.lastIndexOf('</saml:Assertion>')
  const wrapper = forged.slice(0, closing) + original.text + forged.slice(closing)
  return replaceSlice(signed, original, wrapper)
}

/**
 * `forged` carries the original's signature (which still references the
 * original's ID); the original moves to the response's Extensions, where
 * a careless verifier still finds and checks it (XSW7). With
 * `sameId`, the forged assertion also takes the original's ID, so an
 * ID lookup could land on either (XSW5/8 style).
 */
export function signatureOnForged(signed: string, forged: string, options = { sameId: false }) {
  const original = assertionOf(signed)
  const signature = signatureOf(original.text).text
  const id = /\bID="([^"]+)"/.exec(original.text)![1]
  let carrier = forged.replace('</saml:Issuer>', `</saml:Issuer>${signature}`)
  if (options.sameId) {
    carrier = carrier.replace(/\bID="[^"]+"/, `ID="${id}"`)
  }
  const withoutOriginal = replaceSlice(signed, original, carrier)
  return withoutOriginal.replace(
    '<samlp:Status>',
    `<samlp:Extensions>${original.text}</samlp:Extensions><samlp:Status>`
  )
}

/**
 * Adds `hidden` inside the assertion's signature as a ds:Object: outside
 * what the enveloped signature digests, so the signature still verifies,
 * but first in document order for a reader that searches the document.
 */
export function hiddenInSignatureObject(signed: string, hidden: string) {
  return signed.replace('</ds:Signature>', `<ds:Object>${hidden}</ds:Object></ds:Signature>`)
}

/** Changes signed text after signing (a NameID, an attribute value). */
export function editedAfterSigning(signed: string, from: string, to: string) {
  if (!signed.includes(from)) {
    throw new Error(`${from} is not in the response`)
  }
  return signed.replace(from, to)
}

/** Removes every signature. */
export function withoutSignatures(signed: string) {
  return signed.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, '')
}
