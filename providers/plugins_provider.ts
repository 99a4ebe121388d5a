import type { ApplicationService } from '@adonisjs/core/types'
import env from '#start/env'
import { redisPrefix } from '#config/redis'
import { pluginDirectories } from '#config/plugins'
import { EventSubscribers } from '#events/event_subscribers'
import { PgNotifications } from '#shared/pg_notifications'
import { PluginRegistry } from '#plugins/services/plugin_registry'
import { PluginInstallations } from '#plugins/services/plugin_installations'
import { PluginHealth } from '#plugins/services/plugin_health'
import { PluginJobs } from '#plugins/services/plugin_jobs'
import { PluginRunner } from '#plugins/services/plugin_runner'
import { PluginContexts } from '#plugins/services/plugin_contexts'
import { pluginSubscriber } from '#plugins/services/plugin_event_delivery'
import { pluginAdminNotices } from '#plugins/plugin_admin_notices'
import { QueuedJobBackend } from '#plugins/jobs/queued_job_backend'
import { LocalJobBackend } from '#plugins/jobs/local_job_backend'
import { LiveUpdates } from '#realtime/services/live_updates'
import { SocketCommands } from '#realtime/socket_commands'
import { PluginHooks } from '#plugins/services/plugin_hooks'
import { pluginSocketCommands } from '#plugins/plugin_socket_commands'

/**
 * The plugin runtime: the catalog (discovered at boot), event delivery
 * to plugins through the outbox, and plugin jobs and schedules, worked
 * wherever domain events are delivered (web processes, or
 * `ace events:work` with EVENTS_DISPATCH=worker).
 */
export default class PluginsProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(PluginRegistry, () => new PluginRegistry())
    this.app.container.singleton(
      PluginInstallations,
      async (resolver) => new PluginInstallations(await resolver.make(PgNotifications))
    )
    this.app.container.singleton(PluginHealth, async (resolver) => {
      return new PluginHealth(await resolver.make(PluginInstallations))
    })
    this.app.container.singleton(PluginJobs, async (resolver) => {
      const redisUrl = env.get('REDIS_URL')
      return new PluginJobs(
        redisUrl
          ? new QueuedJobBackend(redisUrl, { prefix: `${redisPrefix}:bull` })
          : new LocalJobBackend(),
        await resolver.make(PluginRegistry),
        await resolver.make(PluginInstallations)
      )
    })
    this.app.container.singleton(PluginRunner, async (resolver) => {
      const jobs = await resolver.make(PluginJobs)
      return new PluginRunner(
        await resolver.make(PluginContexts),
        await resolver.make(PluginHealth),
        (plugin) => jobs.forPlugin(plugin)
      )
    })
    this.app.container.singleton(PluginHooks, async (resolver) => {
      return new PluginHooks(
        await resolver.make(PluginRegistry),
        await resolver.make(PluginInstallations),
        await resolver.make(PluginRunner)
      )
    })
  }

  async boot() {
    const registry = await this.app.container.make(PluginRegistry)
    await registry.discover(this.app.appRoot.pathname, pluginDirectories)

    const subscribers = await this.app.container.make(EventSubscribers)
    const installations = await this.app.container.make(PluginInstallations)
    const runner = await this.app.container.make(PluginRunner)
    for (const plugin of registry.all()) {
      if (plugin.events && Object.keys(plugin.events).length > 0) {
        subscribers.subscribe(pluginSubscriber(plugin, installations, runner))
      }
    }
    subscribers.subscribe(pluginAdminNotices(await this.app.container.make(LiveUpdates)))
    const commands = await this.app.container.make(SocketCommands)
    commands.register(pluginSocketCommands(registry, installations, runner))
  }

  async ready() {
    if (this.app.getEnvironment() === 'web' && env.get('EVENTS_DISPATCH', 'web') === 'web') {
      await startPluginWork(this.app)
    }
  }

  async shutdown() {
    const jobs = await this.app.container.make(PluginJobs)
    await jobs.stop()
    const health = await this.app.container.make(PluginHealth)
    await health.stop()
  }
}

/** Starts working plugin jobs and schedules, and recording plugin metrics, in this process. */
export async function startPluginWork(app: ApplicationService) {
  const health = await app.container.make(PluginHealth)
  health.start()
  const jobs = await app.container.make(PluginJobs)
  await jobs.start(await app.container.make(PluginRunner))
}
