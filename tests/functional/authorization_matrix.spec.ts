import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import { createTenant, PASSWORD, type TestTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'

type Actor = 'anonymous' | 'otherTenantAdmin' | 'guest' | 'member' | 'admin' | 'owner'

interface RouteCase {
  method: 'get' | 'post' | 'patch'
  /** The route pattern as registered. */
  pattern: string
  /** A fresh request target and body for one actor (a new victim each time). */
  build: (acme: TestTenant) => Promise<{ url: string; body?: Record<string, unknown> }>
  expect: Record<Actor, number>
}

async function victim(acme: TestTenant) {
  const { user } = await acme.member('member')
  return user.id
}

/**
 * Every tenant route, with the status each kind of caller gets. Central
 * and health routes are listed in CENTRAL_ROUTES. A route missing from
 * both fails the last test of this file.
 */
const MATRIX: RouteCase[] = [
  {
    method: 'post',
    pattern: '/api/v1/auth/login',
    build: async () => ({
      url: '/api/v1/auth/login',
      body: { email: 'owner@acme.test', password: PASSWORD },
    }),
    expect: {
      anonymous: 201,
      otherTenantAdmin: 201,
      guest: 201,
      member: 201,
      admin: 201,
      owner: 201,
    },
  },
  {
    method: 'post',
    pattern: '/api/v1/invitations/:token/accept',
    build: async () => ({
      url: '/api/v1/invitations/not-a-real-token/accept',
      body: { full_name: 'X', password: PASSWORD },
    }),
    expect: {
      anonymous: 404,
      otherTenantAdmin: 404,
      guest: 404,
      member: 404,
      admin: 404,
      owner: 404,
    },
  },
  {
    method: 'post',
    pattern: '/api/v1/auth/logout',
    build: async () => ({ url: '/api/v1/auth/logout' }),
    expect: {
      anonymous: 401,
      otherTenantAdmin: 401,
      guest: 204,
      member: 204,
      admin: 204,
      owner: 204,
    },
  },
  {
    method: 'get',
    pattern: '/api/v1/me',
    build: async () => ({ url: '/api/v1/me' }),
    expect: {
      anonymous: 401,
      otherTenantAdmin: 401,
      guest: 200,
      member: 200,
      admin: 200,
      owner: 200,
    },
  },
  {
    method: 'get',
    pattern: '/api/v1/members',
    build: async () => ({ url: '/api/v1/members' }),
    expect: {
      anonymous: 401,
      otherTenantAdmin: 401,
      guest: 403,
      member: 200,
      admin: 200,
      owner: 200,
    },
  },
  {
    method: 'post',
    pattern: '/api/v1/members/invitations',
    build: async () => ({
      url: '/api/v1/members/invitations',
      body: { email: `invitee-${Math.random().toString(36).slice(2)}@acme.test`, role: 'member' },
    }),
    expect: {
      anonymous: 401,
      otherTenantAdmin: 401,
      guest: 403,
      member: 403,
      admin: 201,
      owner: 201,
    },
  },
  {
    method: 'patch',
    pattern: '/api/v1/members/:id',
    build: async (acme) => ({
      url: `/api/v1/members/${await victim(acme)}`,
      body: { role: 'guest' },
    }),
    expect: {
      anonymous: 401,
      otherTenantAdmin: 401,
      guest: 403,
      member: 403,
      admin: 200,
      owner: 200,
    },
  },
  {
    method: 'post',
    pattern: '/api/v1/members/:id/deactivate',
    build: async (acme) => ({ url: `/api/v1/members/${await victim(acme)}/deactivate` }),
    expect: {
      anonymous: 401,
      otherTenantAdmin: 401,
      guest: 403,
      member: 403,
      admin: 200,
      owner: 200,
    },
  },
  {
    method: 'post',
    pattern: '/api/v1/members/:id/reactivate',
    build: async (acme) => ({ url: `/api/v1/members/${await victim(acme)}/reactivate` }),
    expect: {
      anonymous: 401,
      otherTenantAdmin: 401,
      guest: 403,
      member: 403,
      admin: 200,
      owner: 200,
    },
  },
  {
    method: 'get',
    pattern: '/api/v1/audit-events',
    build: async () => ({ url: '/api/v1/audit-events' }),
    expect: {
      anonymous: 401,
      otherTenantAdmin: 401,
      guest: 403,
      member: 403,
      admin: 200,
      owner: 200,
    },
  },
]

/** Routes outside tenants, covered by their own specs. */
const CENTRAL_ROUTES = [
  '/health/live',
  '/health/ready',
  '/api/v1/organizations',
  '/api/v1/openapi.json',
]

const ACTORS: Actor[] = ['anonymous', 'otherTenantAdmin', 'guest', 'member', 'admin', 'owner']

test.group('Authorization matrix', (group) => {
  group.each.setup(() => resetDatabase())

  for (const route of MATRIX) {
    test(`${route.method.toUpperCase()} ${route.pattern}`, async ({ client, assert }) => {
      const acme = await createTenant('acme')
      const globex = await createTenant('globex')
      const [otherTenantAdmin, guest, member, admin] = await Promise.all([
        globex.member('admin'),
        acme.member('guest'),
        acme.member('member'),
        acme.member('admin'),
      ])
      const tokens: Record<Actor, string | null> = {
        anonymous: null,
        otherTenantAdmin: otherTenantAdmin.token,
        guest: guest.token,
        member: member.token,
        admin: admin.token,
        owner: acme.ownerToken,
      }
      const observed: Partial<Record<Actor, number>> = {}
      for (const actor of ACTORS) {
        const { url, body } = await route.build(acme)
        const request = client[route.method](url).header('host', acme.host)
        if (tokens[actor]) {
          request.bearerToken(tokens[actor]!)
        }
        if (body) {
          request.json(body)
        }
        const response = await request
        observed[actor] = response.status()
      }
      assert.deepEqual(observed, route.expect)
    }).timeout(30_000)
  }

  test('every registered route is in the matrix', ({ assert }) => {
    const registered = Object.values(router.toJSON())
      .flat()
      .map((route) => route.pattern)
    const covered = new Set([...MATRIX.map((route) => route.pattern), ...CENTRAL_ROUTES])
    const missing = registered.filter((pattern) => !covered.has(pattern))
    assert.deepEqual(
      missing,
      [],
      `routes missing from the authorization matrix: ${missing.join(', ')}`
    )
  })
})
