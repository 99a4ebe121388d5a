/*
 * What the outbox delivered during bench/work_api.ts: a subscriber that
 * records every `task.created` it receives, and the checks and lag
 * figures computed from it for one create phase. No app code at runtime,
 * so the subscriber can exist before the app boots.
 */
import type { StoredEvent } from '#events/domain_event'
import type { Subscriber } from '#events/event_subscribers'
import type { CreatedTask } from './endpoints.js'

export interface Delivery {
  eventId: string
  /** `<tenant id>:<task id>`. */
  task: string
  /** Epoch ms: event.occurredAt, set just before the transaction commits. */
  occurredAt: number
  /** Epoch ms (sub-ms precision) when the handler ran. */
  receivedAt: number
}

export interface DeliveryReport {
  /** Tasks the clients got a 201 for. */
  expected: number
  /** Of those, tasks whose task.created was delivered. */
  delivered: number
  lost: number
  /** Deliveries that repeated an event id already delivered (allowed: at-least-once). */
  rawDuplicates: number
  /** Distinct event ids beyond the first for one task: must be 0. */
  duplicatesAfterDedupe: number
  /** Per event, first receipt - occurredAt (ms). */
  lagMs: number[]
  /** Per event, first receipt - the client's 201 (ms): a lower bound of the true lag. */
  lagAfterResponseMs: number[]
  /** Distinct events delivered / (phase start -> last delivery). */
  eventsPerSecond: number
  /** Distinct events delivered before the phase's last 201, per second of the phase. */
  eventsPerSecondDuringPhase: number
  /**
   * Lags of the events that occurred in the first and in the last quarter
   * of the phase: about equal when the dispatcher keeps up, higher at the
   * end when a backlog grows, higher at the start when delivery is starved
   * until the load stops.
   */
  lagFirstQuarterMs: number[]
  lagLastQuarterMs: number[]
  /** Last delivery - last 201 of the phase (ms). */
  tailMs: number
}

const taskKey = (tenantId: number, taskId: number) => `${tenantId}:${taskId}`
const now = () => performance.timeOrigin + performance.now()

export class DeliveryLog {
  readonly deliveries: Delivery[] = []
  #tasks = new Set<string>()

  /** `forward`, when given, also hands each delivery on (a worker process to the bench). */
  constructor(protected forward?: (delivery: Delivery) => void) {}

  /** A delivery recorded elsewhere (the dispatcher process). */
  record(delivery: Delivery) {
    this.deliveries.push(delivery)
    this.#tasks.add(delivery.task)
  }

  /** Registered on the app's EventSubscribers before the dispatcher starts. */
  readonly subscriber: Subscriber = {
    name: 'bench.work_api.deliveries',
    types: ['task.created'],
    handle: async (event: StoredEvent) => {
      const delivery = {
        eventId: event.id,
        task: taskKey(event.tenantId, Number(event.payload.task_id)),
        occurredAt: event.occurredAt.getTime(),
        receivedAt: now(),
      }
      this.record(delivery)
      this.forward?.(delivery)
    },
  }

  /** Waits until every created task was delivered; false on timeout. */
  async waitFor(created: CreatedTask[], timeoutMs: number) {
    const deadline = Date.now() + timeoutMs
    const pending = new Set(created.map((task) => taskKey(task.tenantId, task.taskId)))
    while (Date.now() < deadline) {
      for (const task of pending) {
        if (this.#tasks.has(task)) {
          pending.delete(task)
        }
      }
      if (pending.size === 0) {
        return true
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return false
  }

  /** Tasks delivered that no client got a 201 for. */
  unexpected(created: CreatedTask[]) {
    const known = new Set(created.map((task) => taskKey(task.tenantId, task.taskId)))
    return [...this.#tasks].filter((task) => !known.has(task)).length
  }

  report(created: CreatedTask[], phase: { startedAt: number; endedAt: number }): DeliveryReport {
    const respondedAt = new Map(
      created.map((task) => [taskKey(task.tenantId, task.taskId), task.respondedAt])
    )
    const firstByEvent = new Map<string, Delivery>()
    const eventsByTask = new Map<string, Set<string>>()
    let rawDuplicates = 0
    for (const delivery of this.deliveries) {
      if (!respondedAt.has(delivery.task)) {
        continue
      }
      if (firstByEvent.has(delivery.eventId)) {
        rawDuplicates++
        continue
      }
      firstByEvent.set(delivery.eventId, delivery)
      const events = eventsByTask.get(delivery.task) ?? new Set()
      events.add(delivery.eventId)
      eventsByTask.set(delivery.task, events)
    }
    const firsts = [...firstByEvent.values()]
    const lastDelivery = firsts.reduce(
      (last, delivery) => Math.max(last, delivery.receivedAt),
      phase.endedAt
    )
    const phaseSeconds = (phase.endedAt - phase.startedAt) / 1000
    const quarter = (phase.endedAt - phase.startedAt) / 4
    const lag = (delivery: Delivery) => delivery.receivedAt - delivery.occurredAt
    return {
      expected: respondedAt.size,
      delivered: eventsByTask.size,
      lost: respondedAt.size - eventsByTask.size,
      rawDuplicates,
      duplicatesAfterDedupe: [...eventsByTask.values()].reduce(
        (sum, events) => sum + events.size - 1,
        0
      ),
      lagMs: firsts.map(lag),
      lagFirstQuarterMs: firsts
        .filter((delivery) => delivery.occurredAt < phase.startedAt + quarter)
        .map(lag),
      lagLastQuarterMs: firsts
        .filter((delivery) => delivery.occurredAt >= phase.endedAt - quarter)
        .map(lag),
      lagAfterResponseMs: firsts.map(
        (delivery) => delivery.receivedAt - respondedAt.get(delivery.task)!
      ),
      eventsPerSecond: firsts.length / ((lastDelivery - phase.startedAt) / 1000),
      eventsPerSecondDuringPhase:
        firsts.filter((delivery) => delivery.receivedAt <= phase.endedAt).length / phaseSeconds,
      tailMs: lastDelivery - phase.endedAt,
    }
  }
}
