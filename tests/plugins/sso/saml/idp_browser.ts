/**
 * What a browser does at the IdP, without one: follows redirects with a
 * cookie jar, fills SimpleSAMLphp's user name and password form, and
 * reads the auto-submitting form it answers with (SAMLResponse and
 * RelayState for the SP's ACS).
 */
export interface PostedForm {
  action: string
  fields: Record<string, string>
}

const MAX_REDIRECTS = 10

function decodeHtml(value: string) {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#039;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
}

function hiddenFields(html: string) {
  const fields: Record<string, string> = {}
  for (const [input] of html.matchAll(/<input\b[^>]*>/gi)) {
    const name = /\bname="([^"]*)"/i.exec(input)?.[1]
    const value = /\bvalue="([^"]*)"/i.exec(input)?.[1]
    if (name && value !== undefined && /type="hidden"/i.test(input)) {
      fields[name] = decodeHtml(value)
    }
  }
  return fields
}

export class IdpBrowser {
  readonly #cookies = new Map<string, string>()

  async #request(url: string, init: RequestInit = {}) {
    let target = url
    let response: Response
    let options = init
    for (let hop = 0; ; hop++) {
      const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
      response = await fetch(target, {
        ...options,
        redirect: 'manual',
        headers: { ...(options.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
      })
      for (const header of response.headers.getSetCookie()) {
        const [pair] = header.split(';')
        const separator = pair.indexOf('=')
        this.#cookies.set(pair.slice(0, separator).trim(), pair.slice(separator + 1))
      }
      const location = response.headers.get('location')
      if (response.status < 300 || response.status >= 400 || !location) {
        return { response, url: target, html: await response.text() }
      }
      if (hop >= MAX_REDIRECTS) {
        throw new Error(`Too many redirects from ${url}`)
      }
      await response.arrayBuffer()
      target = new URL(location, target).toString()
      options = {}
    }
  }

  /**
   * Opens the SP's redirect to the IdP, signs in with the UserPass form
   * and returns the form the IdP would have the browser post to the SP.
   */
  async signIn(idpUrl: string, username: string, password: string): Promise<PostedForm> {
    const loginPage = await this.#request(idpUrl)
    const state = hiddenFields(loginPage.html).AuthState
    if (!state) {
      throw new Error(`No login form at ${loginPage.url}: ${loginPage.html.slice(0, 500)}`)
    }
    const answer = await this.#request(loginPage.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password, AuthState: state }).toString(),
    })
    const action = /<form\b[^>]*\baction="([^"]*)"/i.exec(answer.html)?.[1]
    const fields = hiddenFields(answer.html)
    if (!action || !fields.SAMLResponse) {
      throw new Error(`The IdP did not answer with a SAML form: ${answer.html.slice(0, 800)}`)
    }
    return { action: decodeHtml(action), fields }
  }
}
