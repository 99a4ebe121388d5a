import { errors as vineErrors } from '@vinejs/vine'
import { ApiException } from '#shared/api_exception'
import { PluginError } from '#plugins/plugin_api'
import { PluginPermissionDeniedException } from '#plugins/exceptions'
import { PluginTimeoutError } from '#plugins/services/plugin_runner'

/** What the plugin meant its caller to see: not a failure of the plugin. */
export function isCallerError(error: unknown) {
  return error instanceof PluginError || error instanceof vineErrors.E_VALIDATION_ERROR
}

/** A plugin's error as the client sees it; anything unexpected is the plugin's failure (502). */
export function clientError(pluginId: string, error: unknown): unknown {
  if (error instanceof PluginError) {
    const exception = new ApiException(error.message, {
      code: error.code,
      status: error.status,
      field: error.field,
    })
    exception.retryAfterSeconds = error.retryAfterSeconds
    return exception
  }
  if (
    error instanceof vineErrors.E_VALIDATION_ERROR ||
    error instanceof PluginPermissionDeniedException
  ) {
    return error
  }
  if (error instanceof PluginTimeoutError) {
    return new ApiException(`The plugin "${pluginId}" did not answer in time`, {
      code: 'E_PLUGIN_TIMEOUT',
      status: 504,
    })
  }
  return new ApiException(`The plugin "${pluginId}" failed`, {
    code: 'E_PLUGIN_FAILED',
    status: 502,
  })
}
