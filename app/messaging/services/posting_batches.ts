import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { TenantContext, type BoundTenant } from '#tenancy/tenant_context'

/** Posts written in one transaction at most. */
const MAX_BATCH = 200

interface Pending<Post, Result> {
  post: Post
  resolve(result: Result): void
  reject(error: unknown): void
}

interface TenantQueue<Post, Result> {
  tenant: BoundTenant
  waiting: Pending<Post, Result>[]
  flushing: boolean
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

  constructor(
    protected write: (trx: TransactionClientContract, posts: Post[]) => Promise<Result[]>
  ) {}

  submit(post: Post): Promise<Result> {
    const tenant = TenantContext.currentOrFail()
    let queue = this.#queues.get(tenant.id)
    if (!queue) {
      queue = { tenant, waiting: [], flushing: false }
      this.#queues.set(tenant.id, queue)
    }
    const result = new Promise<Result>((resolve, reject) =>
      queue.waiting.push({ post, resolve, reject })
    )
    if (!queue.flushing) {
      queue.flushing = true
      // Posts of this turn of the event loop join the first batch.
      setImmediate(() => void this.#drain(queue))
    }
    return result
  }

  async #drain(queue: TenantQueue<Post, Result>) {
    while (queue.waiting.length > 0) {
      const batch = queue.waiting.splice(0, MAX_BATCH)
      await TenantContext.run(queue.tenant, () => this.#flush(batch))
    }
    queue.flushing = false
    this.#queues.delete(queue.tenant.id)
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
