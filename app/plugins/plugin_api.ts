/*
 * The public plugin API: everything a plugin under plugins/ may import
 * (as `#plugin-api`). A plugin declares what it adds in one
 * `definePlugin({...})` call and receives a `PluginContext` for the
 * tenant it runs for; it never reaches the application itself.
 * docs/plugins.md is the guide; this file is the reference.
 */
import type { Infer } from '@vinejs/vine/types'
import type { VineObject } from '@vinejs/vine'
import type { Knex } from 'knex'
import type { Logger } from '@adonisjs/core/logger'

/**
 * What a plugin may ask for. The admin grants some or all of them at
 * install; the context refuses (E_PLUGIN_PERMISSION) any call that needs
 * one not granted, and events of a domain are only delivered with its
 * read permission.
 */
export const PLUGIN_PERMISSIONS = [
  'users:read',
  'users:write',
  'sessions:write',
  'projects:read',
  'tasks:read',
  'tasks:write',
  'messages:read',
  'network',
] as const
export type PluginPermission = (typeof PLUGIN_PERMISSIONS)[number]

// ---------------------------------------------------------------------------
// Core data as plugins see it: the same shapes as the REST API (snake_case).
// Timestamps are ISO 8601 strings.
// ---------------------------------------------------------------------------

export interface PluginMember {
  id: number
  email: string
  full_name: string
  role: 'owner' | 'admin' | 'member' | 'guest'
  status: 'active' | 'deactivated'
}

export interface PluginProject {
  id: number
  key: string
  name: string
  description: string | null
  status: string
  start_date: string | null
  end_date: string | null
  lead_id: number | null
  archived_at: string | null
  updated_at: string | null
}

export interface PluginTask {
  id: number
  key: string
  project_id: number
  title: string
  description: string | null
  status: { id: number; name: string; category: 'todo' | 'in_progress' | 'done' }
  priority: string
  assignee_ids: number[]
  due_date: string | null
  version: number
  completed_at: string | null
  created_at: string | null
  updated_at: string | null
}

export interface PluginComment {
  id: number
  task_id: number
  author_id: number
  body: string | null
  deleted: boolean
  created_at: string | null
}

export interface PluginChannel {
  id: number
  type: 'public' | 'private' | 'direct'
  name: string | null
  topic: string | null
  archived: boolean
}

export interface PluginMessage {
  id: number
  channel_id: number
  seq: number
  thread_id: number | null
  sender_id: number
  body: string | null
  deleted: boolean
  created_at: string | null
}

/** An entry of a project's activity feed (as `GET /projects/:id/activity-feed` shows it). */
export interface PluginActivityEntry {
  id: number
  actor: { id: number; full_name: string | null } | null
  /** 'created', 'updated', 'commented', 'moved', ... */
  verb: string
  /** What it was done to: `{ type: 'task', id, key, title }` and the like. */
  object: Record<string, unknown>
  changes: Record<string, unknown> | null
  occurred_at: string | null
}

export interface Page<Item> {
  items: Item[]
  next_cursor: string | null
}

export interface TaskQuery {
  project_id?: number
  assignee_id?: number
  /** Only tasks with a due date (in `due_after`..`due_before` when given, inclusive). */
  has_due_date?: boolean
  due_after?: string
  due_before?: string
  updated_since?: Date
  cursor?: string | null
  limit?: number
}

export interface TaskChange {
  due_date?: string | null
  /** Moves the task to its project's first status of that category. */
  status_category?: 'todo' | 'in_progress' | 'done'
  title?: string
  /**
   * Optimistic concurrency: the change fails with a PluginError of code
   * E_VERSION_CONFLICT (status 409) when the task moved on.
   */
  expected_version?: number
}

export interface MemberProvision {
  email: string
  full_name: string
  role?: 'admin' | 'member' | 'guest'
}

export interface MemberChange {
  email?: string
  full_name?: string
  role?: 'admin' | 'member' | 'guest'
}

export interface SignInContext {
  /** How the member proved who they are: 'ldap', 'saml', 'oidc'. */
  method: string
  ip: string | null
  user_agent?: string | null
}

export interface IssuedSession {
  /** Opaque bearer token, as POST /api/v1/auth/login returns it. */
  token: string
  expires_at: string | null
  member: PluginMember
}

export interface TimeRange {
  from: Date
  to: Date
}

/**
 * Core data through the permissions the admin granted. `as(memberId)`
 * narrows it further to what that member can read (their projects,
 * channels they belong to), which a plugin must use whenever it acts on
 * a member's behalf: a summary never includes what its reader could not
 * see.
 */
export interface PluginCoreApi {
  members: {
    list(query?: {
      ids?: number[]
      cursor?: string | null
      limit?: number
    }): Promise<Page<PluginMember>>
    get(id: number): Promise<PluginMember | null>
    /** Needs `users:read`; emails compare case-insensitively. */
    findByEmail(email: string): Promise<PluginMember | null>
    /**
     * Needs `users:write`: creates a member (role `member` unless given;
     * never `owner`) without a password. E_MEMBER_EXISTS (409) when the
     * email is taken. Audited as done by the plugin.
     */
    provision(input: MemberProvision): Promise<PluginMember>
    /** Needs `users:write`: name, sign-in email or role (never to or from `owner`). */
    update(id: number, change: MemberChange): Promise<PluginMember>
    /**
     * Needs `users:write`: deactivates the member (tokens revoked, sockets
     * closed at once), recorded as deactivated by this plugin.
     */
    deactivate(id: number): Promise<PluginMember>
    /**
     * Needs `users:write`: reactivates a member this plugin deactivated.
     * A member an admin, SCIM or another plugin deactivated stays as they
     * are (`reactivated: false`): only they may undo their decision.
     */
    reactivate(id: number): Promise<{ member: PluginMember; reactivated: boolean }>
  }
  /** Signing members in (needs `sessions:write`). */
  sessions: {
    /**
     * A normal Tandem access token for an active member the plugin
     * authenticated (a directory bind, an IdP assertion). Audited as
     * `auth.login` with the method and the plugin.
     */
    issue(memberId: number, login: SignInContext): Promise<IssuedSession>
  }
  projects: {
    list(query?: { cursor?: string | null; limit?: number }): Promise<Page<PluginProject>>
    get(id: number): Promise<PluginProject | null>
    activity(projectId: number, range: TimeRange): Promise<PluginActivityEntry[]>
  }
  tasks: {
    list(query?: TaskQuery): Promise<Page<PluginTask>>
    get(id: number): Promise<PluginTask | null>
    comments(taskId: number): Promise<PluginComment[]>
    /** Needs `tasks:write`; recorded as done by `actorId` (default: the member of `as()`). */
    update(id: number, change: TaskChange, options?: { actorId?: number }): Promise<PluginTask>
  }
  channels: {
    get(id: number): Promise<PluginChannel | null>
    /**
     * Live (not deleted) messages created in `[from, to)`, in channel
     * order (`seq`), at most `limit` (default and maximum 1,000): page on
     * with `after_seq` set to the last `seq` received. With `thread_id`,
     * the thread's first message and its replies.
     */
    messages(
      channelId: number,
      query: TimeRange & { thread_id?: number; after_seq?: number; limit?: number }
    ): Promise<PluginMessage[]>
  }
  /** The same API, narrowed to what this member may read. */
  as(memberId: number): PluginCoreApi
}

// ---------------------------------------------------------------------------
// The context
// ---------------------------------------------------------------------------

export interface PluginKeyValueStore {
  get<Value = unknown>(key: string): Promise<Value | null>
  /** Values are JSON; `ttlSeconds` makes the key expire. */
  set(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void>
  delete(key: string): Promise<void>
  /** Keys starting with `prefix`, in key order. */
  keys(prefix?: string): Promise<string[]>
}

/**
 * The plugin's own tables in the tenant schema. `table('feeds')` is a
 * query builder on `<plugin id>_feeds`; names are prefixed for you, and
 * no other table can be reached.
 */
export interface PluginTables {
  table(name: string): Knex.QueryBuilder
  transaction<T>(work: (tables: PluginTables) => Promise<T>): Promise<T>
}

/** Schema changes allowed in a plugin migration: on its own tables only. */
export interface PluginSchema {
  createTable(name: string, build: (table: Knex.CreateTableBuilder) => void): Promise<void>
  alterTable(name: string, build: (table: Knex.AlterTableBuilder) => void): Promise<void>
  dropTable(name: string): Promise<void>
  /** The prefixed, schema-qualified name, for foreign keys between the plugin's tables. */
  tableName(name: string): string
}

export interface PluginMigration {
  /** Unique within the plugin and sortable: '0001_create_feeds'. Never rename one that shipped. */
  name: string
  up(schema: PluginSchema): Promise<void>
  down?(schema: PluginSchema): Promise<void>
}

/** `fetch` limited by the `network` permission and a time limit. */
export type PluginHttp = (
  url: string | URL,
  init?: RequestInit & { timeoutMs?: number }
) => Promise<Response>

export interface PluginRealtime {
  /**
   * Pushes `plugin:<id>:<event>` to a member's sockets and SSE stream
   * (on every node).
   */
  toMember(memberId: number, event: string, data: unknown): Promise<void>
  /** To sockets in a project's room: needs `projects:read`. */
  toProject(projectId: number, event: string, data: unknown): Promise<void>
}

export interface PluginJobs {
  /** Runs `jobs[name]` for this tenant, at least once, later (on any node). */
  enqueue(
    name: string,
    data?: Record<string, unknown>,
    options?: { delayMs?: number }
  ): Promise<void>
}

/**
 * The workspace's audit trail, for what only the plugin sees (a failed
 * directory sign-in and its reason). Actions are recorded as
 * `<plugin id>.<action>`, with the plugin as actor.
 */
export interface PluginAudit {
  record(
    action: string,
    entry?: {
      target?: { type: string; id: number | string }
      ip?: string | null
      user_agent?: string | null
      metadata?: Record<string, unknown>
    }
  ): Promise<void>
}

/**
 * Failure counters shared by every node (Redis when the deployment has
 * it), for throttling guesses at a plugin's own sign-in route.
 */
export interface PluginThrottle {
  /**
   * Runs `attempt`; a throw counts as a failure against `key`. Once
   * `failures` failures happened within `windowSeconds`, the key is
   * blocked for `blockSeconds`: `attempt` is not run and a PluginError
   * E_TOO_MANY_ATTEMPTS (429) is thrown instead.
   */
  penalize<T>(
    key: string,
    limits: { failures: number; windowSeconds: number; blockSeconds: number },
    attempt: () => Promise<T>
  ): Promise<T>
}

/** Encryption bound to this tenant and plugin (APP_KEY): for the plugin's own secrets. */
export interface PluginSecrets {
  encrypt(value: string): string
  decrypt(value: string): string | null
}

export interface PluginContext<Settings = Record<string, unknown>> {
  plugin: { id: string; version: string }
  tenant: { id: number; slug: string }
  /** Tagged with the plugin id and tenant. */
  logger: Logger
  /** Validated, with secrets decrypted. */
  settings: Settings
  permissions: ReadonlySet<PluginPermission>
  api: PluginCoreApi
  store: PluginKeyValueStore
  db: PluginTables
  http: PluginHttp
  realtime: PluginRealtime
  jobs: PluginJobs
  secrets: PluginSecrets
  audit: PluginAudit
  throttle: PluginThrottle
  /**
   * Aborted when the work this context was made for ran out of time:
   * long work should pass it on (fetch, database) or check it.
   */
  signal: AbortSignal
  /** The tenant's URL for a path, e.g. for links in a feed: https://acme.tandem.example/... */
  url(path: string): string
}

// ---------------------------------------------------------------------------
// What a plugin declares
// ---------------------------------------------------------------------------

/** A domain event as plugins (and sockets) receive it; docs/events.md lists the types. */
export interface PluginEvent {
  /** Delivery is at least once: handlers must be idempotent on `id`. */
  id: string
  type: string
  occurred_at: string
  actor_id: number | null
  data: Record<string, unknown>
}

export interface PluginRequest {
  /** The signed-in member, null on `auth: 'public'` routes. */
  member: PluginMember | null
  params: Record<string, string>
  query: Record<string, unknown>
  body: unknown
  headers: Record<string, string | string[] | undefined>
  ip: string
}

/** A response other than `200 { data }`: made with `reply(...)`. */
export class PluginReply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string>
  ) {}
}

export interface PluginRoute<Settings> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  /**
   * Below /api/v1/plugins/<id>, with AdonisJS params: '/summaries/:id'
   * (a param named `id` only matches numbers, as everywhere in /api/v1).
   */
  path: string
  /** One line for the API reference (/api/v1/openapi.json). */
  summary?: string
  /**
   * 'member' (default): any active member's token; 'admin': workspace
   * admins; 'public': no token (the route checks its own secret, e.g. a
   * feed URL), rate limited per IP.
   */
  auth?: 'public' | 'member' | 'admin'
  /**
   * 'api' (default): below /api/v1/plugins/<id>. 'auth': at `/auth<path>`
   * on the workspace host, for browser sign-in flows (redirects, an
   * identity provider's form POST to `/auth/saml/acs`); public routes
   * only, and no two plugins may declare the same one. Form bodies
   * (application/x-www-form-urlencoded) arrive parsed in `body`.
   */
  mount?: 'api' | 'auth'
  /** Returns the `data` of a 200 response, or a `reply(...)`. */
  handler(context: PluginContext<Settings>, request: PluginRequest): Promise<unknown>
}

export interface PluginSchedule {
  /** The job it runs, once per tenant that has the plugin enabled. */
  job: string
  everyMinutes: number
}

export interface PluginSocketEvent<Settings> {
  /**
   * Runs for `plugin:<id>:<name>` sent by a member's socket; the return
   * value is the ack's `data`. Validate `payload` yourself.
   */
  (
    context: PluginContext<Settings>,
    message: { member: PluginMember; payload: unknown }
  ): Promise<unknown>
}

export interface MessageDraft {
  channel_id: number
  sender_id: number
  body: string
}

/**
 * Synchronous interception points. Each runs under a short time limit;
 * a hook that fails or times out is skipped (counted as a failure) and the
 * core action goes on unchanged.
 */
/** A way to sign in that a plugin offers, for the sign-in page (GET /api/v1/auth/providers). */
export interface SignInProvider {
  /** Stable within the plugin: 'saml', 'oidc'. */
  id: string
  /** The button's label: 'Okta', 'Sign in with your company account'. */
  name: string
  /**
   * 'redirect' (default): the browser goes to `url` and comes back signed
   * in (SAML, OIDC). 'credentials': the sign-in page posts
   * `{ username, password }` as JSON to `url` (a directory).
   */
  kind?: 'redirect' | 'credentials'
  /** Where the sign-in starts (context.url('/auth/saml/login')). */
  url: string
}

export interface PluginHooks<Settings> {
  /** May rewrite the body, or refuse the message with a reason shown to the sender. */
  'message.beforePost'?: (
    context: PluginContext<Settings>,
    draft: MessageDraft
  ) => Promise<{ body?: string; refuse?: string } | void>
  /** The sign-in methods the plugin offers as configured now (needs `sessions:write`). */
  'auth.providers'?: (context: PluginContext<Settings>) => Promise<SignInProvider[]>
}

export interface PluginLifecycle<Settings> {
  install?(context: PluginContext<Settings>): Promise<void>
  enable?(context: PluginContext<Settings>): Promise<void>
  disable?(context: PluginContext<Settings>): Promise<void>
  /** With `purge`, the plugin's tables and store are dropped after this returns. */
  uninstall?(context: PluginContext<Settings>, options: { purge: boolean }): Promise<void>
}

export interface PluginLimits {
  /** Time limit of one event delivery, job or route (ms, default 10,000). */
  timeoutMs?: number
  /** Time limit of a hook (ms, default 300). */
  hookTimeoutMs?: number
}

type SettingsSchema = VineObject<any, any, any, any>

export interface PluginDefinition<Schema extends SettingsSchema | undefined = undefined> {
  /** Lower snake_case, also the prefix of its tables: 'calendar_sync'. */
  id: string
  name: string
  /** Semver; migrations added in a new version run on `plugin:upgrade`. */
  version: string
  description: string
  permissions: PluginPermission[]
  settings?: {
    schema: Schema
    /** Settings stored encrypted and returned masked. */
    secrets?: Schema extends SettingsSchema ? (keyof Infer<Schema> & string)[] : never
  }
  migrations?: PluginMigration[]
  /** Event type ('task.updated'), prefix ('task.*') or '*' → handler. */
  events?: Record<
    string,
    (context: PluginContext<SettingsOf<Schema>>, event: PluginEvent) => Promise<void>
  >
  hooks?: PluginHooks<SettingsOf<Schema>>
  routes?: PluginRoute<SettingsOf<Schema>>[]
  jobs?: Record<
    string,
    (context: PluginContext<SettingsOf<Schema>>, data: Record<string, unknown>) => Promise<void>
  >
  schedules?: PluginSchedule[]
  socket?: Record<string, PluginSocketEvent<SettingsOf<Schema>>>
  lifecycle?: PluginLifecycle<SettingsOf<Schema>>
  limits?: PluginLimits
}

export type SettingsOf<Schema> = Schema extends SettingsSchema
  ? Infer<Schema>
  : Record<string, never>

export type AnyPluginDefinition = PluginDefinition<any>

/** Declares a plugin; the runtime checks the declaration when it loads it. */
export function definePlugin<Schema extends SettingsSchema | undefined = undefined>(
  definition: PluginDefinition<Schema>
): PluginDefinition<Schema> {
  return definition
}

/**
 * A response with another status, content type or headers than
 * `200 { data }`. The body is sent as given (an object as JSON, a string
 * as is): wrap it in `{ data }` yourself for JSON APIs.
 */
export function reply(options: {
  status?: number
  body?: unknown
  headers?: Record<string, string>
}): PluginReply {
  return new PluginReply(options.status ?? 200, options.body ?? null, options.headers ?? {})
}

/**
 * An error a plugin throws for its caller to see: rendered as
 * `{ errors: [{ code, message, field }] }` with `status`.
 */
export class PluginError extends Error {
  /** Sent as Retry-After (a 429 of `throttle.penalize` carries it). */
  retryAfterSeconds?: number

  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly field?: string
  ) {
    super(message)
  }
}
