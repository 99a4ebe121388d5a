import logger from '@adonisjs/core/services/logger'
import { describeError } from '#shared/client_errors'
import { TenantContext } from '#tenancy/tenant_context'
import type { SocketClient } from '#realtime/socket_client'
import type { SocketCommand } from '#realtime/socket_command'

type Ack = (reply: unknown) => void

/*
 * Per socket: a burst of 60 commands, refilled at 30 per second. Above
 * that a command is refused, not queued, so one client cannot fill the
 * node's event loop or database pool.
 */
const BURST = 60
const REFILL_PER_SECOND = 30

/**
 * Routes a socket's events to the commands registered for them.
 */
export class SocketCommands {
  #commands = new Map<string, SocketCommand>()
  #admit: (client: SocketClient) => Promise<void> = async () => {}

  /** A check every command passes first (the tenant is still served). */
  admitWith(admit: (client: SocketClient) => Promise<void>) {
    this.#admit = admit
  }

  register(commands: SocketCommand[]) {
    for (const command of commands) {
      if (this.#commands.has(command.event)) {
        throw new Error(`Socket event "${command.event}" has two handlers`)
      }
      this.#commands.set(command.event, command)
    }
  }

  bind(client: SocketClient) {
    let line: Promise<void> = Promise.resolve()
    let tokens = BURST
    let refilledAt = Date.now()
    const allow = () => {
      const now = Date.now()
      tokens = Math.min(BURST, tokens + ((now - refilledAt) / 1000) * REFILL_PER_SECOND)
      refilledAt = now
      if (tokens < 1) {
        return false
      }
      tokens -= 1
      return true
    }

    client.socket.onAny((event: string, ...args: unknown[]) => {
      const ack: Ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : () => {}
      const command = this.#commands.get(event)
      if (!command) {
        ack(refusal('E_UNKNOWN_EVENT', `Unknown event "${event}"`))
        return
      }
      if (!allow()) {
        ack(refusal('E_TOO_MANY_REQUESTS', 'Too many events; slow down'))
        return
      }
      const run = () => this.#execute(client, command, args[0], ack)
      if (command.concurrent) {
        void run()
      } else {
        line = line.then(run)
      }
    })
  }

  async #execute(client: SocketClient, command: SocketCommand, payload: unknown, ack: Ack) {
    try {
      await this.#admit(client)
      // Payload validators take no metadata.
      const validate = command.validator.validate as (data: unknown) => Promise<unknown>
      const input = await validate(payload ?? {})
      const data = await TenantContext.run(client.tenant, () =>
        command.handle(client, input as never)
      )
      ack({ ok: true, data: data ?? null })
    } catch (error) {
      const { status, errors } = describeError(error)
      if (status >= 500) {
        logger.error(
          { err: error, event: command.event, tenant: client.tenant.slug },
          'socket command failed'
        )
      }
      ack({ ok: false, errors })
    }
  }
}

function refusal(code: string, message: string) {
  return { ok: false, errors: [{ code, message }] }
}
