import { test } from '@japa/runner'
import ICAL from 'ical.js'
import { feedCalendar } from '../../../plugins/calendar_sync/feed_calendar.js'
import { acmeIdentity, sampleProject, sampleTask } from './samples.js'

function parse(ics: string) {
  return new ICAL.Component(ICAL.parse(ics))
}

test.group('calendar_sync feed calendar', () => {
  test('a due task is an all-day event with a stable UID, its key and a link', ({ assert }) => {
    const ics = feedCalendar({
      memberName: 'Ada',
      tasks: [sampleTask()],
      projects: [],
      identity: acmeIdentity,
    })
    const [event] = parse(ics).getAllSubcomponents('vevent')

    assert.equal(event.getFirstPropertyValue('uid'), 'task-7@acme.tandem')
    assert.equal(event.getFirstPropertyValue('summary'), 'WEB-7: Ship the launch page')
    const start = event.getFirstProperty('dtstart')!
    assert.equal(start.type, 'date')
    assert.equal(start.getFirstValue()!.toString(), '2026-12-04')
    assert.equal(event.getFirstPropertyValue('dtend')!.toString(), '2026-12-05')
    assert.equal(event.getFirstPropertyValue('url'), 'https://acme.tandem.test/projects/3/tasks/7')
    assert.equal(event.getFirstPropertyValue('dtstamp')!.toString(), '2026-11-20T10:00:00Z')
    assert.equal(event.getFirstPropertyValue('transp'), 'TRANSPARENT')
  })

  test('the calendar has the properties RFC 5545 requires and a title', ({ assert }) => {
    const calendar = parse(
      feedCalendar({ memberName: 'Ada', tasks: [], projects: [], identity: acmeIdentity })
    )
    assert.equal(calendar.getFirstPropertyValue('version'), '2.0')
    assert.equal(calendar.getFirstPropertyValue('prodid'), '-//Tandem//calendar_sync//EN')
    assert.equal(calendar.getFirstPropertyValue('x-wr-calname'), 'Tandem (acme): Ada')
  })

  test('a done task is marked, tasks without a due date are left out', ({ assert }) => {
    const ics = feedCalendar({
      memberName: 'Ada',
      tasks: [
        sampleTask({ status: { id: 3, name: 'Done', category: 'done' } }),
        sampleTask({ id: 8, key: 'WEB-8', due_date: null }),
      ],
      projects: [],
      identity: acmeIdentity,
    })
    const events = parse(ics).getAllSubcomponents('vevent')
    assert.lengthOf(events, 1)
    assert.equal(events[0].getFirstPropertyValue('summary'), '✓ WEB-7: Ship the launch page')
  })

  test('project start and end dates are milestones', ({ assert }) => {
    const ics = feedCalendar({
      memberName: 'Ada',
      tasks: [],
      projects: [sampleProject(), sampleProject({ id: 4, key: 'OPS', start_date: null })],
      identity: acmeIdentity,
    })
    const summaries = parse(ics)
      .getAllSubcomponents('vevent')
      .map((event) => [event.getFirstPropertyValue('uid'), event.getFirstPropertyValue('summary')])
    assert.deepEqual(summaries, [
      ['project-3-start@acme.tandem', 'WEB starts: Website'],
      ['project-3-end@acme.tandem', 'WEB ends: Website'],
      ['project-4-end@acme.tandem', 'OPS ends: Website'],
    ])
  })

  test('text is escaped and long lines folded, and survives the round trip', ({ assert }) => {
    const title =
      'Fix; the, header\\footer — and a very long title that goes well past seventy-five octets: ünïcödé'
    const description = 'Line one\nLine two; with, punctuation'
    const ics = feedCalendar({
      memberName: 'Ada',
      tasks: [sampleTask({ title, description })],
      projects: [],
      identity: acmeIdentity,
    })

    for (const line of ics.split('\r\n')) {
      assert.isAtMost(Buffer.byteLength(line), 75, line)
    }
    assert.include(ics, 'Fix\\; the\\, header\\\\footer')
    const [event] = parse(ics).getAllSubcomponents('vevent')
    assert.equal(event.getFirstPropertyValue('summary'), `WEB-7: ${title}`)
    assert.include(event.getFirstPropertyValue('description') as string, description)
  })
})
