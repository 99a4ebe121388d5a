import type { ApiClient, ApiRequest } from '@japa/api-client'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'

type Body = Record<string, unknown>

/**
 * Requests to one tenant's API as one member.
 */
export function as(client: ApiClient, tenant: TestTenant, token: string) {
  const request = (method: 'get' | 'post' | 'patch' | 'put' | 'delete', url: string) =>
    client[method](`/api/v1${url}`).header('host', tenant.host).bearerToken(token)
  const withBody = (pending: ApiRequest, body?: Body) => (body ? pending.json(body) : pending)
  return {
    get: (url: string, qs: Body = {}) => request('get', url).qs(qs),
    post: (url: string, body?: Body) => withBody(request('post', url), body),
    patch: (url: string, body?: Body) => withBody(request('patch', url), body),
    put: (url: string, body?: Body) => withBody(request('put', url), body),
    delete: (url: string) => request('delete', url),
    request,
  }
}

export type Api = ReturnType<typeof as>

export async function createProject(api: Api, body: Body = {}) {
  const response = await api.post('/projects', { name: 'Website', key: 'WEB', ...body })
  response.assertStatus(201)
  return response.body().data as { id: number; key: string }
}

export async function createTask(api: Api, projectId: number, body: Body = {}) {
  const response = await api.post(`/projects/${projectId}/tasks`, { title: 'A task', ...body })
  response.assertStatus(201)
  return response.body().data as {
    id: number
    key: string
    version: number
    status: { id: number; name: string; category: string }
    position: number
  }
}

/** Every page of a list, following next_cursor. */
export async function allPages<Item>(api: Api, url: string, qs: Body = {}) {
  const items: Item[] = []
  let cursor: string | null = null
  do {
    const response = await api.get(url, cursor ? { ...qs, cursor } : qs)
    response.assertStatus(200)
    items.push(...response.body().data)
    cursor = response.body().meta.next_cursor
  } while (cursor)
  return items
}

export async function postComment(api: Api, taskId: number, body: string) {
  const response = await api.post(`/tasks/${taskId}/comments`, { body })
  response.assertStatus(201)
  return response.body().data as { id: number; body: string }
}

/** Workspace `acme` with a project WEB, and requests as its owner. */
export async function workspaceWithProject(client: ApiClient) {
  const acme = await createTenant('acme')
  const owner = as(client, acme, acme.ownerToken)
  const web = await createProject(owner)
  return { acme, owner, web }
}
