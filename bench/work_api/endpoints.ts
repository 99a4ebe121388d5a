/*
 * The requests bench/work_api.ts sends. Pure data: imported by the load
 * worker threads as well as by the main thread.
 */

export type Endpoint = 'me' | 'list' | 'list_filtered' | 'create'

/** One tenant as a client sees it: its host, its owner's token, its project. */
export interface Target {
  tenantId: number
  host: string
  token: string
  projectId: number
}

export interface BenchRequest {
  method: 'GET' | 'POST'
  path: string
  body?: Record<string, unknown>
  expect: number
}

/** Word the filtered list searches for; 1 seeded title in 7 contains it. */
export const SEARCH_WORD = 'invoice'

export const PAGE_SIZE = 25

interface EndpointSpec {
  label: string
  /** `n` is unique per request of a run. */
  request(target: Target, n: string): BenchRequest
}

export const ENDPOINTS: Record<Endpoint, EndpointSpec> = {
  me: {
    label: 'GET /api/v1/me (baseline: auth + tenant, no work tables)',
    request: () => ({ method: 'GET', path: '/api/v1/me', expect: 200 }),
  },
  list: {
    label: `GET /api/v1/projects/:id/tasks?limit=${PAGE_SIZE}`,
    request: (target) => ({
      method: 'GET',
      path: `/api/v1/projects/${target.projectId}/tasks?limit=${PAGE_SIZE}`,
      expect: 200,
    }),
  },
  list_filtered: {
    label: `GET /api/v1/projects/:id/tasks?limit=${PAGE_SIZE}&status_category=todo&q=${SEARCH_WORD}`,
    request: (target) => ({
      method: 'GET',
      path: `/api/v1/projects/${target.projectId}/tasks?limit=${PAGE_SIZE}&status_category=todo&q=${SEARCH_WORD}`,
      expect: 200,
    }),
  },
  create: {
    label: 'POST /api/v1/projects/:id/tasks (title, labels, priority)',
    request: (target, n) => ({
      method: 'POST',
      path: `/api/v1/projects/${target.projectId}/tasks`,
      body: { title: `Bench task ${n}`, labels: ['bench', 'load'], priority: 'high' },
      expect: 201,
    }),
  },
}

export interface LoadJob {
  baseUrl: string
  endpoint: Endpoint
  targets: Target[]
  clients: number
  durationMs: number
  /** Makes created titles unique across runs. */
  label: string
}

/** A task a client saw a 201 for. */
export interface CreatedTask {
  tenantId: number
  taskId: number
  /** Epoch ms (sub-ms precision) when the 201 had been read in full. */
  respondedAt: number
}

export interface LoadOutcome {
  /** Per completed request, ms from send to the end of the response. */
  latencies: Float64Array
  statuses: Record<number, number>
  /** Answers with an unexpected status or body. */
  wrongAnswers: number
  /** Socket errors (no answer). */
  errors: number
  firstProblem?: string
  /** Epoch ms: the first request was sent / the last one answered. */
  startedAt: number
  endedAt: number
  created: CreatedTask[]
}
