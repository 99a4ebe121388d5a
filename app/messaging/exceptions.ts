import { ApiException } from '#shared/api_exception'

/** Missing, or invisible to the caller: the two are not told apart. */
export class MessagingNotFoundException extends ApiException {
  constructor(what: 'channel' | 'message' | 'member') {
    super(`No such ${what}`, { code: 'E_NOT_FOUND', status: 404 })
  }
}

/** Visible to the caller, who may not do this (the code Bouncer's refusals get too). */
export class ChannelForbiddenException extends ApiException {
  constructor(message = 'You may not do this in this channel') {
    super(message, { code: 'E_FORBIDDEN', status: 403 })
  }
}

/**
 * Well-formed input that cannot be used (a member who does not exist, a
 * thread in another channel, ...): reported like any validation error,
 * under its field.
 */
export class MessagingInputException extends ApiException {
  constructor(field: string, message: string) {
    super(message, { code: 'E_VALIDATION_ERROR', status: 422, field })
  }
}

export class ChannelArchivedException extends ApiException {
  constructor() {
    super('The channel is archived; unarchive it to change its messages', {
      code: 'E_CHANNEL_ARCHIVED',
      status: 409,
    })
  }
}

export class ChannelNameTakenException extends ApiException {
  constructor() {
    super('Another channel has this name', {
      code: 'E_CHANNEL_NAME_TAKEN',
      status: 409,
      field: 'name',
    })
  }
}

export class ReactionLimitException extends ApiException {
  constructor(limit: number) {
    super(`A message holds at most ${limit} different reactions`, {
      code: 'E_TOO_MANY_REACTIONS',
      status: 422,
      field: 'emoji',
    })
  }
}
