import { ApiException } from '#shared/api_exception'

export class ScimTokenNotFoundException extends ApiException {
  constructor() {
    super('No such SCIM token in this workspace', { code: 'E_NOT_FOUND', status: 404 })
  }
}

export class ScimGroupNotFoundException extends ApiException {
  constructor() {
    super('No such group in this workspace', { code: 'E_NOT_FOUND', status: 404 })
  }
}
