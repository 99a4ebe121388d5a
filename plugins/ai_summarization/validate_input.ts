import { errors } from '@vinejs/vine'
import { PluginError } from '#plugin-api'

/**
 * Runs a validation and turns VineJS's error into the 422 PluginError the
 * runtime renders, naming the first bad field. A raw VineJS error would
 * count as a plugin failure.
 */
export async function validateInput<Output>(validation: () => Promise<Output>): Promise<Output> {
  try {
    return await validation()
  } catch (error) {
    if (error instanceof errors.E_VALIDATION_ERROR) {
      const [first] = error.messages as { field: string; message: string }[]
      throw new PluginError('E_VALIDATION_ERROR', first.message, 422, first.field)
    }
    throw error
  }
}
