import type { VineValidator } from '@vinejs/vine'
import type { Infer, SchemaTypes } from '@vinejs/vine/types'
import type { SocketClient } from '#realtime/socket_client'

/**
 * A client-to-server socket event: its payload validator and its handler.
 * The handler runs with the socket's tenant bound; what it returns is the
 * acknowledgement's `data`, what it throws becomes `errors`, exactly as an
 * API response would carry them.
 */
export interface SocketCommand<Schema extends SchemaTypes = SchemaTypes> {
  event: string
  validator: VineValidator<Schema, undefined>
  /**
   * By default a socket's commands run one at a time in arrival order, so
   * two messages sent in a row are stored in that order. Commands that
   * order nothing (heartbeats, typing) skip the line.
   */
  concurrent?: boolean
  handle(client: SocketClient, input: Infer<Schema>): Promise<unknown> | unknown
}

export function defineSocketCommand<Schema extends SchemaTypes>(
  command: SocketCommand<Schema>
): SocketCommand {
  return command as unknown as SocketCommand
}
