import type { ApiResponse } from '@japa/api-client'

/**
 * The stable error code of a JSON error response.
 */
export function errorCode(response: ApiResponse): string | undefined {
  return response.body()?.errors?.[0]?.code
}

/** Sends the request and asserts the answer's status. */
export async function expectStatus(request: PromiseLike<ApiResponse>, status: number) {
  const response = await request
  response.assertStatus(status)
  return response
}
