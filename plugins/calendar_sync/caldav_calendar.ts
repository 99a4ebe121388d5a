import { DAVClient, type DAVCalendar } from 'tsdav'

export interface CaldavCredentials {
  serverUrl: string
  username: string
  password: string
  /** A calendar collection; without it, the first one that holds to-dos. */
  calendarUrl?: string | null
}

export type CaldavFailure =
  'unauthorized' | 'unreachable' | 'no_task_calendar' | 'calendar_not_found' | 'rejected'

/** Why talking to the member's CalDAV server failed, in words a route can map to a code. */
export class CaldavError extends Error {
  constructor(
    readonly reason: CaldavFailure,
    message: string
  ) {
    super(message)
  }
}

export interface CalendarObject {
  url: string
  etag: string | null
  data: string
}

/** A member's to-do calendar on their CalDAV server (tsdav underneath). */
export class TaskCalendar {
  private constructor(
    private client: DAVClient,
    readonly calendar: DAVCalendar
  ) {}

  get url() {
    return this.calendar.url
  }

  get name() {
    const name = this.calendar.displayName
    return typeof name === 'string' ? name : null
  }

  /**
   * Logs in (service discovery, principal, calendar home) and picks the
   * calendar. `fetch` is the plugin's network access.
   */
  static async open(credentials: CaldavCredentials, fetch: typeof globalThis.fetch) {
    const client = new DAVClient({
      serverUrl: credentials.serverUrl,
      credentials: { username: credentials.username, password: credentials.password },
      authMethod: 'Basic',
      defaultAccountType: 'caldav',
      fetch,
    })
    let calendars: DAVCalendar[]
    try {
      await client.login()
      calendars = await client.fetchCalendars()
    } catch (error) {
      throw asCaldavError(error)
    }
    return new TaskCalendar(client, pickCalendar(calendars, credentials.calendarUrl))
  }

  /** Every to-do in the calendar (events and other components are not fetched). */
  async todos(): Promise<CalendarObject[]> {
    const objects = await this.client.fetchCalendarObjects({
      calendar: this.calendar,
      filters: {
        'comp-filter': {
          '_attributes': { name: 'VCALENDAR' },
          'comp-filter': { _attributes: { name: 'VTODO' } },
        },
      },
    })
    return objects
      .filter((object) => typeof object.data === 'string')
      .map((object) => ({ url: object.url, etag: object.etag ?? null, data: object.data }))
  }

  /** Writes a new object; null when one with that name already exists. */
  async create(fileName: string, data: string): Promise<CalendarObject | null> {
    const response = await this.client.createCalendarObject({
      calendar: this.calendar,
      filename: fileName,
      iCalString: data,
    })
    if (response.status === 412) {
      return null
    }
    expectSuccess(response, 'PUT')
    const url = new URL(fileName, ensureSlash(this.calendar.url)).href
    return { url, etag: await this.etagAfterWrite(response, url), data }
  }

  /** Replaces an object if it is still at `etag`; null when it changed meanwhile. */
  async update(object: CalendarObject): Promise<CalendarObject | null> {
    const response = await this.client.updateCalendarObject({
      calendarObject: { url: object.url, etag: object.etag ?? undefined, data: object.data },
    })
    if (response.status === 412) {
      return null
    }
    expectSuccess(response, 'PUT')
    return { ...object, etag: await this.etagAfterWrite(response, object.url) }
  }

  /** Deletes an object; one already gone counts as deleted. */
  async remove(url: string) {
    const response = await this.client.deleteCalendarObject({ calendarObject: { url } })
    if (response.status !== 404) {
      expectSuccess(response, 'DELETE')
    }
  }

  /**
   * Servers may omit the ETag on PUT (RFC 4791 5.3.4 lets them when they
   * changed the data); then it is read back, so the next sync does not
   * mistake our own write for a calendar edit.
   */
  private async etagAfterWrite(response: Response, url: string) {
    const etag = response.headers.get('etag')
    if (etag) {
      return etag
    }
    const [object] = await this.client.fetchCalendarObjects({
      calendar: this.calendar,
      objectUrls: [url],
    })
    return object?.etag ?? null
  }
}

function pickCalendar(calendars: DAVCalendar[], wanted?: string | null): DAVCalendar {
  if (wanted) {
    const found = calendars.find((calendar) => sameCollection(calendar.url, wanted))
    if (!found) {
      throw new CaldavError('calendar_not_found', `No calendar at ${wanted} for this account`)
    }
    return found
  }
  // Servers that do not announce components accept any (RFC 4791 5.2.3).
  const found = calendars.find(
    (calendar) => !calendar.components || calendar.components.includes('VTODO')
  )
  if (!found) {
    throw new CaldavError('no_task_calendar', 'This account has no calendar that holds to-dos')
  }
  return found
}

function sameCollection(a: string, b: string) {
  const path = (url: string) => ensureSlash(new URL(url, 'http://server/').pathname)
  return path(a) === path(b)
}

function ensureSlash(url: string) {
  return url.endsWith('/') ? url : `${url}/`
}

function expectSuccess(response: Response, method: string) {
  if (!response.ok) {
    throw new CaldavError(
      'rejected',
      `${method} ${response.url}: ${response.status} ${response.statusText}`
    )
  }
}

function asCaldavError(error: unknown): Error {
  if (error instanceof CaldavError) {
    return error
  }
  const message = error instanceof Error ? error.message : String(error)
  if (/\b401\b|invalid credentials|unauthorized/i.test(message)) {
    return new CaldavError('unauthorized', 'The server refused this user name and password')
  }
  if (error instanceof TypeError || /fetch failed|ECONNREFUSED|ENOTFOUND|abort/i.test(message)) {
    return new CaldavError('unreachable', `The CalDAV server could not be reached: ${message}`)
  }
  return new CaldavError('rejected', `The CalDAV server answered unexpectedly: ${message}`)
}
