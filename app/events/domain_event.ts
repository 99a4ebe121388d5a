import { randomUUID } from 'node:crypto'

export type EventPayload = Record<string, unknown>

/**
 * A committed event as subscribers receive it.
 */
export interface StoredEvent<Payload extends EventPayload = EventPayload> {
  id: string
  /** Position in the tenant's event log: commit order. */
  seq: number
  type: string
  version: number
  tenantId: number
  actorId: string | null
  occurredAt: Date
  payload: Payload
}

/**
 * Base of every domain event class. A subclass names its type and the
 * version of its payload shape:
 *
 *   class MemberDeactivated extends DomainEvent<{ member_id: number }> {
 *     static readonly type = 'member.deactivated'
 *   }
 */
export abstract class DomainEvent<Payload extends EventPayload = EventPayload> {
  static readonly type: string
  static readonly version: number = 1

  readonly id = randomUUID()
  readonly occurredAt = new Date()
  readonly actorId: string | null

  constructor(
    readonly payload: Payload,
    actorId: number | string | null = null
  ) {
    this.actorId = actorId === null ? null : String(actorId)
  }

  get type(): string {
    return (this.constructor as typeof DomainEvent).type
  }

  get version(): number {
    return (this.constructor as typeof DomainEvent).version
  }
}

/**
 * A `domain_events` row as subscribers receive it.
 */
export function storedEventFromRow(row: Record<string, any>, tenantId: number): StoredEvent {
  return {
    id: row.id,
    seq: Number(row.seq),
    type: row.type,
    version: row.version,
    tenantId,
    actorId: row.actor_id,
    occurredAt: new Date(row.occurred_at),
    payload: row.payload,
  }
}
