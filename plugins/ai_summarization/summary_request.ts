import vine from '@vinejs/vine'
import { PluginError } from '#plugin-api'
import { validateInput } from './validate_input.js'

/** What a summary is of, as stored with it. Instants are ISO 8601 (UTC). */
export type SummarySource =
  | { kind: 'channel'; channel_id: number; from: string; to: string }
  | { kind: 'thread'; channel_id: number; thread_id: number }
  | { kind: 'task'; task_id: number }
  | { kind: 'project_week'; project_id: number; from: string; to: string }

export const SUMMARY_KINDS = ['channel', 'thread', 'task', 'project_week'] as const

/** The longest channel period one summary covers. */
export const MAX_RANGE_DAYS = 31
const DAY_MS = 24 * 60 * 60 * 1000

const id = () => vine.number().withoutDecimals().positive()
// A date alone ('2026-11-23') is its first instant, 00:00 UTC.
const instant = () => vine.date({ formats: ['iso8601'] })

const kindValidator = vine.create({ kind: vine.enum(SUMMARY_KINDS) })

const validators = {
  channel: vine.create({ channel_id: id(), from: instant(), to: instant() }),
  thread: vine.create({ channel_id: id(), thread_id: id() }),
  task: vine.create({ task_id: id() }),
  project_week: vine.create({ project_id: id(), week_of: instant().optional() }),
}

/**
 * The body of POST /summaries as a source, or a 422 PluginError naming
 * the first bad field.
 */
export async function parseSummaryRequest(body: unknown, now = new Date()): Promise<SummarySource> {
  const { kind } = await validateInput(() => kindValidator.validate(body))
  switch (kind) {
    case 'channel': {
      const input = await validateInput(() => validators.channel.validate(body))
      checkRange(input.from, input.to)
      return {
        kind,
        channel_id: input.channel_id,
        from: input.from.toISOString(),
        to: input.to.toISOString(),
      }
    }
    case 'thread':
      return { kind, ...(await validateInput(() => validators.thread.validate(body))) }
    case 'task':
      return { kind, ...(await validateInput(() => validators.task.validate(body))) }
    case 'project_week': {
      const input = await validateInput(() => validators.project_week.validate(body))
      const monday = startOfWeek(input.week_of ?? now)
      return {
        kind,
        project_id: input.project_id,
        from: monday.toISOString(),
        to: new Date(monday.getTime() + 7 * DAY_MS).toISOString(),
      }
    }
  }
}

function checkRange(from: Date, to: Date) {
  if (from >= to) {
    throw new PluginError('E_VALIDATION_ERROR', 'The period must end after it starts', 422, 'to')
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new PluginError(
      'E_VALIDATION_ERROR',
      `A summary covers at most ${MAX_RANGE_DAYS} days`,
      422,
      'to'
    )
  }
}

/** Monday 00:00 UTC of the ISO week of `day`: the workspace's time zone is not known here. */
function startOfWeek(day: Date) {
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate())
  const daysSinceMonday = (day.getUTCDay() + 6) % 7
  return new Date(midnight - daysSinceMonday * DAY_MS)
}
