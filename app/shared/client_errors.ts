import { ApiException } from '#shared/api_exception'

export interface ClientError {
  code: string
  message: string
  field?: string
}

export interface DescribedError {
  status: number
  errors: ClientError[]
}

interface ErrorLike {
  code?: string
  status?: number
  message?: string
  messages?: { field: string; message: string; rule?: string }[]
}

/*
 * Framework error codes mapped to the stable codes clients see.
 */
const RENAMED: Record<string, string> = {
  E_ROW_NOT_FOUND: 'E_NOT_FOUND',
  E_UNAUTHORIZED_ACCESS: 'E_UNAUTHORIZED',
  E_AUTHORIZATION_FAILURE: 'E_FORBIDDEN',
  E_TOO_MANY_REQUESTS: 'E_TOO_MANY_ATTEMPTS',
}

const INTERNAL: DescribedError = {
  status: 500,
  errors: [{ code: 'E_INTERNAL_ERROR', message: 'Something went wrong on our side' }],
}

/**
 * What a client is told about an error, over HTTP or in a socket
 * acknowledgement alike. Server errors get a generic message: no stack
 * trace or internal detail ever reaches a client.
 */
export function describeError(error: unknown): DescribedError {
  if (error instanceof ApiException) {
    return {
      status: error.status,
      errors: [
        {
          code: error.code!,
          message: error.message,
          ...(error.field ? { field: error.field } : {}),
        },
      ],
    }
  }
  const err = (error ?? {}) as ErrorLike
  const status =
    err.code === 'E_ROW_NOT_FOUND'
      ? 404
      : typeof err.status === 'number' && err.status >= 400
        ? err.status
        : 500
  if (status >= 500) {
    return INTERNAL
  }
  if (err.code === 'E_VALIDATION_ERROR' && Array.isArray(err.messages)) {
    return {
      status: 422,
      errors: err.messages.map((entry) => ({
        code: 'E_VALIDATION_ERROR',
        message: entry.message,
        field: entry.field,
      })),
    }
  }
  const code =
    err.code && /^E_[A-Z_]+$/.test(err.code) ? (RENAMED[err.code] ?? err.code) : 'E_REQUEST_ERROR'
  return { status, errors: [{ code, message: err.message ?? 'Request failed' }] }
}
