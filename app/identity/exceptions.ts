import { ApiException } from '#shared/api_exception'

export class InvalidCredentialsException extends ApiException {
  constructor() {
    super('Invalid email or password', { code: 'E_INVALID_CREDENTIALS', status: 401 })
  }
}

export class TooManyAttemptsException extends ApiException {
  constructor(retryAfterSeconds: number) {
    super('Too many failed sign-in attempts; try again later', {
      code: 'E_TOO_MANY_ATTEMPTS',
      status: 429,
    })
    this.retryAfterSeconds = retryAfterSeconds
  }
}

export class AccountDeactivatedException extends ApiException {
  constructor() {
    super('This account is deactivated', { code: 'E_ACCOUNT_DEACTIVATED', status: 403 })
  }
}

export class LastOwnerException extends ApiException {
  constructor() {
    super('A workspace keeps at least one active owner', { code: 'E_LAST_OWNER', status: 409 })
  }
}

export class InvitationInvalidException extends ApiException {
  constructor() {
    super('This invitation is invalid, expired or already used', {
      code: 'E_INVITATION_INVALID',
      status: 404,
    })
  }
}

export class MemberExistsException extends ApiException {
  constructor() {
    super('A member with this email already exists', {
      code: 'E_MEMBER_EXISTS',
      status: 409,
      field: 'email',
    })
  }
}

export class SsoRequiredException extends ApiException {
  constructor() {
    super('This workspace signs in with single sign-on only', {
      code: 'E_SSO_REQUIRED',
      status: 403,
    })
  }
}
