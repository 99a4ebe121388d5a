import { ApiException } from '#shared/api_exception'

/** Not in the catalog, or not installed for this tenant: the two are told apart by code. */
export class PluginNotFoundException extends ApiException {
  constructor(id: string) {
    super(`No plugin "${id}" in the catalog`, { code: 'E_PLUGIN_NOT_FOUND', status: 404 })
  }
}

export class PluginNotInstalledException extends ApiException {
  constructor(id: string) {
    super(`The plugin "${id}" is not installed in this workspace`, {
      code: 'E_PLUGIN_NOT_INSTALLED',
      status: 404,
    })
  }
}

export class PluginAlreadyInstalledException extends ApiException {
  constructor(id: string) {
    super(`The plugin "${id}" is installed already`, {
      code: 'E_PLUGIN_INSTALLED',
      status: 409,
    })
  }
}

/** The admin granted a permission the plugin did not ask for. */
export class PluginPermissionNotRequestedException extends ApiException {
  constructor(permission: string) {
    super(`The plugin does not ask for "${permission}"`, {
      code: 'E_VALIDATION_ERROR',
      status: 422,
      field: 'permissions',
    })
  }
}

/** A lifecycle callback or a migration of the plugin failed: nothing was changed. */
export class PluginLifecycleFailedException extends ApiException {
  constructor(id: string, step: string, cause: unknown) {
    super(`The plugin "${id}" failed to ${step}: ${(cause as Error)?.message ?? cause}`, {
      code: 'E_PLUGIN_FAILED',
      status: 502,
    })
  }
}

/** Thrown inside a plugin's context when it uses what it was not granted. */
export class PluginPermissionDeniedException extends ApiException {
  constructor(id: string, permission: string) {
    super(`The plugin "${id}" was not granted "${permission}"`, {
      code: 'E_PLUGIN_PERMISSION',
      status: 403,
    })
  }
}

/** A plugin's `message.beforePost` hook refused the message, with its reason. */
export class MessageRefusedByPluginException extends ApiException {
  constructor(pluginName: string, reason: string) {
    super(`${pluginName}: ${reason}`, { code: 'E_MESSAGE_REFUSED', status: 422, field: 'body' })
  }
}
