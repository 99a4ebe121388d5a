import vine from '@vinejs/vine'
import { memberResource } from '#identity/member_resource'
import { defineSocketCommand, type SocketCommand } from '#realtime/socket_command'
import type { PluginRegistry } from '#plugins/services/plugin_registry'
import type { PluginInstallations } from '#plugins/services/plugin_installations'
import { DEFAULT_TIMEOUT_MS, type PluginRunner } from '#plugins/services/plugin_runner'
import { PluginNotInstalledException } from '#plugins/exceptions'
import { clientError, isCallerError } from '#plugins/plugin_errors'

/** Plugins validate their own payloads: the gateway passes anything through. */
const anyPayload = vine.create(vine.any().optional())

/**
 * The socket events plugins declare, as gateway commands named
 * `plugin:<id>:<event>`: answered only where the plugin is enabled, with
 * acks shaped like every other command's.
 */
export function pluginSocketCommands(
  registry: PluginRegistry,
  installations: PluginInstallations,
  runner: PluginRunner
): SocketCommand[] {
  return registry.all().flatMap((plugin) =>
    Object.entries(plugin.socket ?? {}).map(([name, handler]) =>
      defineSocketCommand({
        event: `plugin:${plugin.id}:${name}`,
        validator: anyPayload,
        async handle(client, payload) {
          const installation = await installations.enabled(plugin.id)
          if (!installation) {
            throw new PluginNotInstalledException(plugin.id)
          }
          const member = memberResource(client.user)
          return runner
            .run(
              'socket',
              plugin,
              installation,
              plugin.limits?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
              (context) => handler(context, { member, payload }),
              isCallerError
            )
            .catch((error) => Promise.reject(clientError(plugin.id, error)))
        },
      })
    )
  )
}
