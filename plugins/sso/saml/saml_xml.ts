import { DOMParser } from '@xmldom/xmldom'

export const NS = {
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const

/**
 * Parses XML the way the SAML stack does (xmldom), refusing what SAML
 * never needs and attacks use: a document type (entity expansion, XXE)
 * and anything the parser only warns about.
 */
export function parseXml(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) {
    throw new Error('XML with a document type is not accepted')
  }
  const fail = (message: string) => {
    throw new Error(`Malformed XML: ${message}`)
  }
  const document = new DOMParser({
    locator: {},
    errorHandler: { error: fail, fatalError: fail },
  }).parseFromString(xml, 'text/xml')
  if (!document?.documentElement) {
    throw new Error('Malformed XML: no document element')
  }
  return document
}

/** The element children of `parent` with that namespace and local name, in order. */
export function childElements(parent: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = []
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    const element = node as Element
    if (
      node.nodeType === 1 &&
      element.localName === localName &&
      element.namespaceURI === namespace
    ) {
      found.push(element)
    }
  }
  return found
}

/** The attribute's value, or null when absent (xmldom answers '' for both). */
export function attributeOf(element: Element, name: string): string | null {
  return element.hasAttribute(name) ? element.getAttribute(name) : null
}
