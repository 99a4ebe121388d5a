import { definePlugin } from '#plugin-api'
import { settingsSchema } from './settings.js'
import { createSummaries } from './migrations/0001_create_summaries.js'
import { requestSummary } from './routes/request_summary.js'
import { showSummary } from './routes/show_summary.js'
import { listSummaries } from './routes/list_summaries.js'
import { JOB_TIMEOUT_MS, summarizeJob } from './summarize_job.js'

/**
 * Summaries of a channel's period, a thread, a task's comments or a
 * project's week, by any OpenAI-compatible model, or extractively when
 * none is configured or it fails. See README.md.
 */
export default definePlugin({
  id: 'ai_summarization',
  name: 'AI summaries',
  version: '1.0.0',
  description:
    'Summaries of channels, threads, task discussions and project weeks, by an OpenAI-compatible model of your choice or extractively without one.',
  permissions: ['users:read', 'projects:read', 'tasks:read', 'messages:read', 'network'],
  settings: { schema: settingsSchema, secrets: ['api_key'] },
  migrations: [createSummaries],
  routes: [requestSummary, listSummaries, showSummary],
  jobs: { summarize: summarizeJob },
  limits: { timeoutMs: JOB_TIMEOUT_MS },
})
