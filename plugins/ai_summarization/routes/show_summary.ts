import type { PluginRoute } from '#plugin-api'
import type { SummarizationSettings } from '../settings.js'
import { SummaryRecords, summaryResource } from '../summary_records.js'
import { requesterOf, summaryNotFound } from './requester.js'

/** GET /summaries/:id: only to the member who asked for it. */
export const showSummary: PluginRoute<SummarizationSettings> = {
  method: 'get',
  path: '/summaries/:id',
  auth: 'member',
  async handler(ctx, request) {
    const requester = requesterOf(request)
    const id = Number(request.params.id)
    if (!Number.isSafeInteger(id) || id < 1) {
      throw summaryNotFound()
    }
    const summary = await new SummaryRecords(ctx.db).find(id)
    if (!summary || summary.requester_id !== requester.id) {
      throw summaryNotFound()
    }
    return summaryResource(summary)
  },
}
