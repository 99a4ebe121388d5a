import type { ApiResponse } from '@japa/api-client'

/**
 * The stable error code of a JSON error response.
 */
export function errorCode(response: ApiResponse): string | undefined {
  return response.body()?.errors?.[0]?.code
}
