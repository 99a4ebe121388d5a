import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { TenantContext, type BoundTenant } from '#tenancy/tenant_context'

/** Posts written in one transaction at most. */
const MAX_BATCH = 200
/**
 * Batches of one tenant written at once: while one commits, the next
 * writes its rows (it queues on the outbox head only at its append).
 */
const IN_FLIGHT = 3

interface Pending<Post, Result> {
  post: Post
  resolve(result: Result): void
  reject(error: unknown): void
}

interface TenantQueue<Post, Result> {
  tenant: BoundTenant
  waiting: Pending<Post, Result>[]
  /** Batches being written, and whether a flush is already scheduled. */
  inFlight: number
  scheduled: boolean
}

/**
 * Group commit, per tenant. Every write of a tenant that emits domain
 * events queues on its outbox head row from the event append to COMMIT,
 * through the commit's flush to disk: one transaction per post caps a
 * busy workspace at a few hundred posts a second. Posts that arrive while
 * a batch is being written wait for the next one, and a batch is one
 * transaction: each post's own statement, one append, one COMMIT.
 *
 * `write` runs once per batch inside the transaction; it must leave the
 * transaction usable when one post is refused (no row written) and
 * return one result per post. When the whole transaction fails, every
 * post of the batch is retried alone, so one bad post (or a lost race
 * with another node) fails only itself.
 */
export class PostingBatches<Post, Result> {
  #queues = new Map<number, TenantQueue<Post, Result>>()

  /**
   * `lockOrder` sorts a batch (stably) into the order its rows are
   * locked in, so batches written at once never wait on each other in a
   * cycle.
   */
  constructor(
    protected write: (trx: TransactionClientContract, posts: Post[]) => Promise<Result[]>,
    protected lockOrder: (a: Post, b: Post) => number
  ) {}

  submit(post: Post): Promise<Result> {
    const tenant = TenantContext.currentOrFail()
    let queue = this.#queues.get(tenant.id)
    if (!queue) {
      queue = { tenant, waiting: [], inFlight: 0, scheduled: false }
      this.#queues.set(tenant.id, queue)
    }
    const result = new Promise<Result>((resolve, reject) =>
      queue.waiting.push({ post, resolve, reject })
    )
    this.#schedule(queue)
    return result
  }

  /** Posts of this turn of the event loop join the same batch. */
  #schedule(queue: TenantQueue<Post, Result>) {
    if (queue.scheduled || queue.inFlight >= IN_FLIGHT || queue.waiting.length === 0) {
      return
    }
    queue.scheduled = true
    setImmediate(() => {
      queue.scheduled = false
      void this.#next(queue)
    })
  }

  async #next(queue: TenantQueue<Post, Result>) {
    const batch = queue.waiting.splice(0, MAX_BATCH)
    if (batch.length === 0) {
      return
    }
    queue.inFlight += 1
    try {
      batch.sort((a, b) => this.lockOrder(a.post, b.post))
      await TenantContext.run(queue.tenant, () => this.#flush(batch))
    } finally {
      queue.inFlight -= 1
      if (queue.inFlight === 0 && queue.waiting.length === 0 && !queue.scheduled) {
        this.#queues.delete(queue.tenant.id)
      } else {
        this.#schedule(queue)
      }
    }
  }

  async #flush(batch: Pending<Post, Result>[]) {
    try {
      const results = await db.transaction((trx) =>
        this.write(
          trx,
          batch.map(({ post }) => post)
        )
      )
      batch.forEach((pending, index) => pending.resolve(results[index]))
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error)
        return
      }
      for (const pending of batch) {
        await this.#flush([pending])
      }
    }
  }
}
