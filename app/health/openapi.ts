import { defineOperations } from '#shared/openapi/operation'

export const healthOperations = defineOperations({
  'health.live': {
    summary: 'The process is up',
    tag: 'Health',
    authenticated: false,
    tenant: false,
    responses: { 200: { description: 'Alive' } },
  },
  'health.ready': {
    summary: 'The database (and Redis, when configured) answer',
    tag: 'Health',
    authenticated: false,
    tenant: false,
    responses: {
      200: { description: 'Ready' },
      503: { description: 'A dependency is down; `checks` says which' },
    },
  },
})
