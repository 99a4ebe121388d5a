import ICAL from 'ical.js'

export type Calendar = InstanceType<typeof ICAL.Component>
export type IcalTime = InstanceType<typeof ICAL.Time>

const PRODID = '-//Tandem//calendar_sync//EN'

/** A VCALENDAR with the properties RFC 5545 requires (section 3.6). */
export function newCalendar(name?: string): Calendar {
  const calendar = new ICAL.Component('vcalendar')
  calendar.addPropertyWithValue('prodid', PRODID)
  calendar.addPropertyWithValue('version', '2.0')
  calendar.addPropertyWithValue('calscale', 'GREGORIAN')
  if (name) {
    // Read by Apple Calendar, Google Calendar and Thunderbird as the subscription's title.
    calendar.addPropertyWithValue('x-wr-calname', name)
  }
  return calendar
}

/** A `VALUE=DATE` value from Tandem's 'YYYY-MM-DD'. */
export function dateValue(date: string): IcalTime {
  return ICAL.Time.fromDateString(date)
}

/** A UTC DATE-TIME value (DTSTAMP, LAST-MODIFIED and COMPLETED must be UTC). */
export function utcValue(instant: string | Date): IcalTime {
  return ICAL.Time.fromJSDate(new Date(instant), true)
}

/** The day after a 'YYYY-MM-DD', for the exclusive DTEND of an all-day event. */
export function nextDay(date: string): IcalTime {
  const time = dateValue(date)
  time.adjust(1, 0, 0, 0)
  return time
}

/**
 * The calendar day a DUE names, as 'YYYY-MM-DD'. A DATE-TIME keeps the
 * day as written in its own zone (a phone that sets "due Friday 09:00"
 * means Friday); Tandem due dates have no time.
 */
export function dayOf(time: IcalTime): string {
  const pad = (value: number, length = 2) => String(value).padStart(length, '0')
  return `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}`
}
