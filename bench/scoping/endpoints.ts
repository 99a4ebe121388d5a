/*
 * The endpoints bench/tenant_scoping.ts compares. Kept apart from
 * routes.ts, which may only be imported once the app has booted.
 */
export const ENDPOINTS = {
  a: { label: '(a) tenant route, tenant models', path: '/__bench/scoped', queries: true },
  b: {
    label: '(b) qualified SQL, no tenant middleware',
    path: '/__bench/qualified',
    queries: true,
  },
  c: { label: '(c) tenant middleware, plain SQL', path: '/__bench/scoped-raw', queries: true },
  d: {
    label: '(d) plain Lucid model, no tenant middleware',
    path: '/__bench/plain-model',
    queries: true,
  },
  e: { label: '(e) no query, no tenant middleware', path: '/__bench/empty', queries: false },
  f: { label: '(f) no query, tenant middleware', path: '/__bench/empty-tenant', queries: false },
} as const

export type EndpointKey = keyof typeof ENDPOINTS

/** Order of the runs inside each round. */
export const ORDER: EndpointKey[] = ['a', 'b', 'c', 'd', 'e', 'f']
