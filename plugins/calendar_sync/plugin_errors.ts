import { PluginError, type PluginRequest } from '#plugin-api'

/** A 404 that says nothing about why: a feed URL must not reveal whether it ever existed. */
export function notFound() {
  return new PluginError('E_NOT_FOUND', 'Not found', 404)
}

/** The signed-in member of a 'member' route (the runtime guarantees one). */
export function memberOf(request: PluginRequest) {
  if (!request.member) {
    throw new PluginError('E_UNAUTHORIZED', 'Sign in first', 401)
  }
  return request.member
}
