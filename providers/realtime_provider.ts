import type { ApplicationService } from '@adonisjs/core/types'
import type { Server as HttpServer } from 'node:http'
import { LiveUpdates } from '#realtime/services/live_updates'
import { RealtimeGateway } from '#realtime/services/realtime_gateway'
import { SocketCommands } from '#realtime/socket_commands'
import { projectCommands } from '#realtime/commands/project_commands'
import { chatCommands } from '#realtime/commands/chat_commands'
import { presenceCommands, presenceObserver } from '#realtime/commands/presence_commands'
import { PresenceTracker } from '#presence/services/presence_tracker'
import { MessagePosting } from '#messaging/services/message_posting'
import { MessageEditing } from '#messaging/services/message_editing'
import { MessageReactions } from '#messaging/services/message_reactions'
import { ReadState } from '#messaging/services/read_state'
import { liveEventsProjector } from '#realtime/live_events_projector'
import { EventSubscribers } from '#events/event_subscribers'
import { TenantDirectory } from '#tenancy/services/tenant_directory'
import { redisPrefix } from '#config/redis'
import env from '#start/env'
import { mirrorToUserStreams, UserStreams } from '#realtime/services/user_streams'

/**
 * The real-time gateway: one Socket.IO server per web process, linked to
 * the other nodes through Redis when REDIS_URL is set, and the outbox
 * subscriber that pushes domain events to its rooms.
 */
/** Sockets and SSE streams on an HTTP server of this process. */
export async function serveRealtime(
  container: ApplicationService['container'],
  server: HttpServer
) {
  const gateway = await container.make(RealtimeGateway)
  const tracker = await container.make(PresenceTracker)
  const live = await container.make(LiveUpdates)
  gateway.observe(presenceObserver(tracker))
  // The tracker reports each change on one node; the adapter fans it out.
  tracker.onChange(({ tenantId, presence }) =>
    live.toPresenceWatchers(tenantId, presence.user_id, presence)
  )
  await gateway.attach(server)
  const streams = await container.make(UserStreams)
  streams.start()
}

export default class RealtimeProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(LiveUpdates, () => new LiveUpdates())
    this.app.container.singleton(SocketCommands, () => new SocketCommands())
    this.app.container.singleton(RealtimeGateway, async (resolver) => {
      return new RealtimeGateway(
        await resolver.make(TenantDirectory),
        await resolver.make(LiveUpdates),
        await resolver.make(SocketCommands),
        { redisUrl: env.get('REDIS_URL'), redisPrefix }
      )
    })
    this.app.container.singleton(UserStreams, async (resolver) => {
      return new UserStreams(await resolver.make('transmit'), await resolver.make(LiveUpdates))
    })
  }

  async boot() {
    const commands = await this.app.container.make(SocketCommands)
    commands.register(projectCommands)
    commands.register(presenceCommands(await this.app.container.make(PresenceTracker)))
    commands.register(
      chatCommands({
        posting: await this.app.container.make(MessagePosting),
        editing: await this.app.container.make(MessageEditing),
        reactions: await this.app.container.make(MessageReactions),
        readState: await this.app.container.make(ReadState),
      })
    )
    const subscribers = await this.app.container.make(EventSubscribers)
    const live = await this.app.container.make(LiveUpdates)
    subscribers.subscribe(liveEventsProjector(live))
    mirrorToUserStreams(live, () => this.app.container.make('transmit'))
  }

  /**
   * `npm start` has created the HTTP server by now; tests start theirs
   * later and call `serveRealtime` themselves (tests/bootstrap.ts).
   */
  async ready() {
    if (this.app.getEnvironment() !== 'web' || this.app.getMode() !== 'run') {
      return
    }
    const server = await this.app.container.make('server')
    const nodeServer = server.getNodeServer()
    if (nodeServer) {
      await serveRealtime(this.app.container, nodeServer as HttpServer)
    }
  }

  async shutdown() {
    const gateway = await this.app.container.make(RealtimeGateway)
    await gateway.close()
  }
}
