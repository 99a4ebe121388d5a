/*
 * Data of bench/realtime.ts, written from the bench process before the
 * Tandem node starts: the app booted without HTTP (console environment,
 * as ace commands run it) on the bench's database, central migrations
 * applied as start/database.ts would, one tenant provisioned through
 * TenantProvisioner, members bulk-inserted with SQL, an access token each
 * (User.accessTokens.create, as tests/helpers/tenants.ts mints them), and
 * the channels created through ChannelAdministration (the service behind
 * POST /channels). The same app answers the checks made after a run.
 */
import type { ApplicationService } from '@adonisjs/core/types'
import type User from '#identity/models/user'
import { ignite } from '../../bin/ignite.js'
import { tenantHost } from '../support/app.js'
import { forEachConcurrently } from '../support/report.js'

export const TENANT_SLUG = 'rt'
const TOKEN_CONCURRENCY = 8
const PROVISION_CONCURRENCY = 4

export interface ThroughputChannel {
  channelId: number
  /** The host of the channel's tenant. */
  host: string
  /** One token per member of the channel, in socket order. */
  tokens: string[]
}

export interface Fixtures {
  host: string
  /** Access token per member of tenant "rt", owner first; sockets take them in turn. */
  tokens: string[]
  fanoutChannelId: number
  throughputChannels: ThroughputChannel[]
  /** Slugs of the tenants holding the throughput channels. */
  throughputTenants: string[]
}

export interface FixtureSizes {
  members: number
  fanoutMembers: number
  throughputChannels: number
  throughputMembers: number
  /** 1: the throughput channels are in tenant "rt"; more: spread over tenants of their own. */
  throughputTenants: number
}

interface ProvisionedTenant {
  slug: string
  host: string
  bound: { id: number; slug: string; schema: string }
  owner: User
  users: User[]
  tokens: string[]
}

export interface SetupApp {
  app: ApplicationService
  prepare(sizes: FixtureSizes): Promise<Fixtures>
  /** Per throughput channel ("<host> <channel id>"): stored messages and the highest seq. */
  messageCounts(): Promise<Map<string, { count: number; maxSeq: number }>>
  /** Domain events not yet delivered to every subscriber, all bench tenants together. */
  outboxBacklog(): Promise<number>
  /** Transactions committed in the bench database so far (pg_stat_database). */
  commits(): Promise<number>
  stop(): Promise<void>
}

/**
 * Boots the app in this process with DATABASE_URL already pointing at the
 * bench database. No web server, no dispatcher, no presence tracker (they
 * start only in the web environment); REDIS_URL is unset here, so this
 * process touches nothing the node under test uses in Redis.
 */
export async function bootSetupApp(): Promise<SetupApp> {
  const ignitor = await ignite('tandem')
  const app = ignitor.createApp('console')
  await app.init()
  await app.boot()
  await app.start(async () => {})

  const { default: db } = await import('@adonisjs/lucid/services/db')
  const { TenantContext } = await import('#tenancy/tenant_context')
  const tenants = new Map<string, { id: number; slug: string; schema: string }>()
  const inTenant = <T>(slug: string, work: () => Promise<T>) => {
    const bound = tenants.get(slug)
    if (!bound) {
      throw new Error(`The bench tenant "${slug}" is not provisioned`)
    }
    return TenantContext.run(bound, work)
  }
  let throughputTenants: string[] = []

  return {
    app,
    async prepare(sizes) {
      const { CentralSchemaMigrator } = await import('#tenancy/services/schema_migrators')
      const { TenantProvisioner } = await import('#tenancy/services/tenant_provisioner')
      const { ChannelAdministration } = await import('#messaging/services/channel_administration')
      const { default: UserModel } = await import('#identity/models/user')

      const migrator = await app.container.make(CentralSchemaMigrator)
      await migrator.migrate('central')
      const provisioner = await app.container.make(TenantProvisioner)
      const administration = await app.container.make(ChannelAdministration)

      /** A tenant with `members` members (owner first), a token each. */
      const provision = async (slug: string, members: number): Promise<ProvisionedTenant> => {
        const { tenant, owner } = await provisioner.create({
          slug,
          name: `Realtime bench ${slug}`,
          admin: {
            email: `owner@${slug}.test`,
            password: 'bench-password-1',
            fullName: 'Bench Owner',
          },
        })
        const bound = { id: tenant.id, slug: tenant.slug, schema: tenant.schemaName }
        tenants.set(slug, bound)
        return inTenant(slug, async () => {
          // Members without a password (as SSO-provisioned ones are): the
          // sockets authenticate with tokens, and one scrypt hash per
          // member would only slow the setup down.
          await db.rawQuery(
            `INSERT INTO ${TenantContext.table('users')} (email, full_name, role, status)
             SELECT 'member' || n || '@${slug}.test', 'Member ' || n, 'member', 'active'
               FROM generate_series(1, ?::int) AS n`,
            [members - 1]
          )
          const users = await UserModel.query().orderBy('id')
          const tokens: string[] = Array.from({ length: users.length })
          await forEachConcurrently(users, TOKEN_CONCURRENCY, async (user, index) => {
            const token = await UserModel.accessTokens.create(user)
            tokens[index] = token.value!.release()
          })
          return { slug, host: tenantHost(slug), bound, owner, users, tokens }
        })
      }
      const createChannel = (
        tenant: ProvisionedTenant,
        name: string,
        from: number,
        count: number
      ) =>
        inTenant(tenant.slug, () =>
          administration.create(tenant.owner, {
            name,
            type: 'public',
            member_ids: tenant.users.slice(from, from + count).map((user) => user.id),
          })
        )

      const main = await provision(TENANT_SLUG, sizes.members)
      const fanout = await createChannel(main, 'fan-out', 0, sizes.fanoutMembers)
      let homes = [main]
      if (sizes.throughputTenants > 1) {
        const slugs = Array.from({ length: sizes.throughputTenants }, (_, i) => `tp${i + 1}`)
        const members =
          Math.ceil(sizes.throughputChannels / sizes.throughputTenants) * sizes.throughputMembers
        homes = new Array<ProvisionedTenant>(slugs.length)
        await forEachConcurrently(slugs, PROVISION_CONCURRENCY, async (slug, index) => {
          homes[index] = await provision(slug, members)
        })
      }
      throughputTenants = homes.map((home) => home.slug)
      const throughputChannels: ThroughputChannel[] = []
      for (let c = 0; c < sizes.throughputChannels; c++) {
        // Channel c lives in tenant c % K, as that tenant's channel number c / K.
        const home = homes[c % homes.length]
        const from = Math.floor(c / homes.length) * sizes.throughputMembers
        const channel = await createChannel(
          home,
          `throughput-${c + 1}`,
          from,
          sizes.throughputMembers
        )
        throughputChannels.push({
          channelId: channel.id,
          host: home.host,
          tokens: home.tokens.slice(from, from + sizes.throughputMembers),
        })
      }
      return {
        host: main.host,
        tokens: main.tokens,
        fanoutChannelId: fanout.id,
        throughputChannels,
        throughputTenants,
      }
    },
    async messageCounts() {
      // "<host> <channel id>" -> stored messages of the throughput channels.
      const counts = new Map<string, { count: number; maxSeq: number }>()
      for (const slug of throughputTenants) {
        await inTenant(slug, async () => {
          const { rows } = await db.rawQuery(
            `SELECT channel_id, count(*)::int AS count, max(seq)::int AS max_seq
               FROM ${TenantContext.table('messages')}
              WHERE channel_id IN (SELECT id FROM ${TenantContext.table('channels')}
                                    WHERE name LIKE 'throughput-%')
              GROUP BY channel_id`
          )
          for (const row of rows as { channel_id: string; count: number; max_seq: number }[]) {
            counts.set(`${tenantHost(slug)} ${row.channel_id}`, {
              count: row.count,
              maxSeq: row.max_seq,
            })
          }
        })
      }
      return counts
    },
    async outboxBacklog() {
      let backlog = 0
      for (const slug of tenants.keys()) {
        backlog += await inTenant(slug, async () => {
          const { rows } = await db.rawQuery(
            `SELECT (SELECT seq FROM ${TenantContext.table('domain_event_head')})
                    - coalesce((SELECT min(last_seq)
                                  FROM ${TenantContext.table('event_subscriber_cursors')}), 0)
                    AS backlog`
          )
          return Number(rows[0].backlog)
        })
      }
      return backlog
    },
    async commits() {
      const { rows } = await db.rawQuery(
        'SELECT xact_commit::bigint AS commits FROM pg_stat_database WHERE datname = current_database()'
      )
      return Number(rows[0].commits)
    },
    async stop() {
      await app.terminate()
    },
  }
}
