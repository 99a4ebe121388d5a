import { test } from '@japa/runner'
import env from '#start/env'

test.group('Health', () => {
  test('live answers on any host', async ({ client }) => {
    const response = await client.get('/health/live').header('host', 'whatever.example')
    response.assertStatus(200)
    response.assertBodyContains({ status: 'ok' })
  })

  test('ready checks the database, and Redis when configured', async ({ client, assert }) => {
    const response = await client.get('/health/ready')
    response.assertStatus(200)
    const { checks } = response.body()
    assert.equal(checks.database.status, 'ok')
    // CI sets REQUIRE_REDIS=1: there a missing REDIS_URL must fail, not skip.
    if (env.get('REQUIRE_REDIS')) {
      assert.isString(env.get('REDIS_URL'), 'REQUIRE_REDIS is set but REDIS_URL is not')
    }
    if (env.get('REDIS_URL')) {
      assert.equal(checks.redis.status, 'ok')
    } else {
      assert.notProperty(checks, 'redis')
    }
  })
})
