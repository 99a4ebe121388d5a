import vine from '@vinejs/vine'
import { reply, type PluginRoute } from '#plugin-api'
import type { SummarizationSettings } from '../settings.js'
import { SummaryRecords, summaryResource } from '../summary_records.js'
import { requesterOf } from './requester.js'
import { validateInput } from '../validate_input.js'

const pageValidator = vine.create({
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
  cursor: vine.number().withoutDecimals().positive().optional(),
})

/**
 * GET /summaries: the requester's own summaries, newest first, `limit`
 * (default 20) at a time; `meta.next_cursor` fetches the next page.
 */
export const listSummaries: PluginRoute<SummarizationSettings> = {
  method: 'get',
  path: '/summaries',
  auth: 'member',
  async handler(ctx, request) {
    const requester = requesterOf(request)
    const page = await validateInput(() => pageValidator.validate(request.query))
    const limit = page.limit ?? 20
    const rows = await new SummaryRecords(ctx.db).listFor(requester.id, {
      limit,
      beforeId: page.cursor,
    })
    return reply({
      body: {
        data: rows.map(summaryResource),
        meta: { next_cursor: rows.length === limit ? String(rows.at(-1)!.id) : null },
      },
    })
  },
}
