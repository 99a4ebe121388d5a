import { ApiException } from '#shared/api_exception'

export class TenantNotFoundException extends ApiException {
  constructor(slug?: string) {
    super(slug ? `No tenant named "${slug}"` : 'No workspace is served at this address', {
      code: 'E_TENANT_NOT_FOUND',
      status: 404,
    })
  }
}

export class TenantSuspendedException extends ApiException {
  constructor() {
    super('This workspace is suspended', { code: 'E_TENANT_SUSPENDED', status: 403 })
  }
}

/**
 * A programming error, never a client's: tenant data was touched outside
 * a bound tenant. Rendered as a plain 500.
 */
export class TenantNotBoundException extends Error {
  code = 'E_TENANT_NOT_BOUND'
  constructor() {
    super('Tenant data was accessed with no tenant bound (use TenantContext.run)')
  }
}

export class InvalidSlugException extends ApiException {
  constructor(reason: string) {
    super(reason, { code: 'E_INVALID_SLUG', status: 422, field: 'slug' })
  }
}

export class TenantExistsException extends ApiException {
  constructor(slug: string) {
    super(`A workspace named "${slug}" already exists`, {
      code: 'E_TENANT_EXISTS',
      status: 409,
      field: 'slug',
    })
  }
}
