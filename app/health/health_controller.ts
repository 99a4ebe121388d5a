import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { redisEnabled } from '#config/redis'

async function probe(check: () => Promise<unknown>) {
  const started = performance.now()
  try {
    await check()
    return { status: 'ok', latency_ms: Math.round(performance.now() - started) }
  } catch (error) {
    return { status: 'error', message: (error as Error).message }
  }
}

export default class HealthController {
  async live() {
    return { status: 'ok' }
  }

  /**
   * Ready when the database answers and, when configured, Redis does.
   */
  async ready({ response }: HttpContext) {
    const checks: Record<string, unknown> = {
      database: await probe(() => db.rawQuery('SELECT 1')),
    }
    if (redisEnabled) {
      checks.redis = await probe(() => redis.ping())
    }
    const healthy = Object.values(checks).every(
      (check) => (check as { status: string }).status === 'ok'
    )
    return response.status(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'error', checks })
  }
}
