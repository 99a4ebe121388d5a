import { PluginError, type PluginRequest } from '#plugin-api'

/** The signed-in member of a 'member' route. */
export function requesterOf(request: PluginRequest) {
  if (!request.member) {
    throw new PluginError('E_UNAUTHORIZED', 'Sign in to use summaries', 401)
  }
  return request.member
}

/** The same answer for a summary that does not exist and one of someone else. */
export function summaryNotFound() {
  return new PluginError('E_NOT_FOUND', 'No such summary', 404)
}
