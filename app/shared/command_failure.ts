import type { BaseCommand } from '@adonisjs/core/ace'
import { ApiException } from '#shared/api_exception'

/**
 * Expected failures (bad slug, unknown tenant, ...) print their message;
 * anything else prints the error. Both exit 1.
 */
export function reportFailure(command: BaseCommand, error: unknown) {
  command.exitCode = 1
  if (error instanceof ApiException) {
    command.logger.error(error.message)
    return
  }
  command.logger.error((error as Error).message ?? String(error))
}
