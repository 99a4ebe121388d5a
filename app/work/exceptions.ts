import { ApiException } from '#shared/api_exception'

/** Missing, or invisible to the caller: the two are not told apart. */
export class WorkNotFoundException extends ApiException {
  constructor(what: 'project' | 'task' | 'comment' | 'status' | 'member') {
    super(`No such ${what}`, { code: 'E_NOT_FOUND', status: 404 })
  }
}

/**
 * An input that is well-formed but points at something unusable (an
 * unknown status, an assignee who cannot see the project, ...): reported
 * like any other validation error, under its field.
 */
export class InvalidReferenceException extends ApiException {
  constructor(field: string, message: string) {
    super(message, { code: 'E_VALIDATION_ERROR', status: 422, field })
  }
}

export class VersionConflictException extends ApiException {
  constructor(readonly currentVersion: number) {
    super(`The task changed since you read it (now at version ${currentVersion})`, {
      code: 'E_CONFLICT',
      status: 409,
    })
  }
}

export class ProjectArchivedException extends ApiException {
  constructor() {
    super('The project is archived; restore it to change its tasks', {
      code: 'E_PROJECT_ARCHIVED',
      status: 409,
    })
  }
}

export class ProjectKeyTakenException extends ApiException {
  constructor() {
    super('Another project uses this key', {
      code: 'E_PROJECT_KEY_TAKEN',
      status: 409,
      field: 'key',
    })
  }
}

export class StatusInUseException extends ApiException {
  constructor() {
    super('Tasks still have this status; move them to another status first', {
      code: 'E_STATUS_IN_USE',
      status: 409,
    })
  }
}

export class StatusNameTakenException extends ApiException {
  constructor() {
    super('The workflow has a status with this name', {
      code: 'E_STATUS_NAME_TAKEN',
      status: 409,
      field: 'name',
    })
  }
}

export class LastStatusException extends ApiException {
  constructor() {
    super('A workflow keeps at least one status', { code: 'E_LAST_STATUS', status: 409 })
  }
}
