import ICAL from 'ical.js'
import { DAVClient } from 'tsdav'

/**
 * A member's other CalDAV client ("the phone"): edits to-dos on the
 * server directly, as Apple Reminders or Thunderbird would.
 */
export async function phoneClient(serverUrl: string, username: string, password: string) {
  const client = new DAVClient({
    serverUrl,
    credentials: { username, password },
    authMethod: 'Basic',
    defaultAccountType: 'caldav',
  })
  await client.login()
  const calendars = await client.fetchCalendars()

  const todosIn = async (calendarUrl: string) => {
    const calendar = calendars.find((candidate) => candidate.url === calendarUrl)
    if (!calendar) {
      throw new Error(`No calendar ${calendarUrl}; found ${calendars.map((c) => c.url)}`)
    }
    const objects = await client.fetchCalendarObjects({
      calendar,
      filters: {
        'comp-filter': {
          '_attributes': { name: 'VCALENDAR' },
          'comp-filter': { _attributes: { name: 'VTODO' } },
        },
      },
    })
    return objects.map((object) => {
      const vcalendar = new ICAL.Component(ICAL.parse(object.data))
      return { ...object, vcalendar, todo: vcalendar.getFirstSubcomponent('vtodo')! }
    })
  }

  return {
    todosIn,
    async todo(calendarUrl: string, uid: string) {
      const todos = await todosIn(calendarUrl)
      const found = todos.find((object) => object.todo.getFirstPropertyValue('uid') === uid)
      if (!found) {
        throw new Error(`No to-do ${uid} in ${calendarUrl}`)
      }
      return found
    },
    /** Changes a to-do as a client does: the edit, then LAST-MODIFIED and DTSTAMP. */
    async edit(
      calendarUrl: string,
      uid: string,
      change: { due?: string; completed?: boolean; summary?: string; at?: Date }
    ) {
      const object = await this.todo(calendarUrl, uid)
      const { todo } = object
      if (change.due) {
        todo.updatePropertyWithValue('due', ICAL.Time.fromDateString(change.due))
      }
      if (change.completed === true) {
        todo.updatePropertyWithValue('status', 'COMPLETED')
        todo.updatePropertyWithValue('completed', ICAL.Time.now())
      }
      if (change.completed === false) {
        todo.updatePropertyWithValue('status', 'NEEDS-ACTION')
        todo.removeProperty('completed')
        todo.removeProperty('percent-complete')
      }
      if (change.summary) {
        todo.updatePropertyWithValue('summary', change.summary)
      }
      const at = ICAL.Time.fromJSDate(change.at ?? new Date(), true)
      todo.updatePropertyWithValue('last-modified', at)
      todo.updatePropertyWithValue('dtstamp', at)
      const response = await client.updateCalendarObject({
        calendarObject: { url: object.url, etag: object.etag, data: object.vcalendar.toString() },
      })
      if (!response.ok) {
        throw new Error(`The phone's edit failed: ${response.status}`)
      }
    },
    async remove(calendarUrl: string, uid: string) {
      const object = await this.todo(calendarUrl, uid)
      await client.deleteCalendarObject({ calendarObject: { url: object.url, etag: object.etag } })
    },
  }
}
