import { test } from '@japa/runner'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { startAce } from '#tests/helpers/cli'
import { eventually } from '#tests/helpers/wait'
import { as, createProject, createTask } from '#tests/helpers/work'

test.group('CLI: events:work', (group) => {
  group.each.setup(() => resetDatabase())

  test('a dispatcher process of its own delivers events, then stops cleanly on SIGTERM', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const api = as(client, acme, acme.ownerToken)
    const web = await createProject(api)
    await createTask(api, web.id, { title: 'Before the worker started' })

    const worker = startAce(['events:work'], 60_000)
    try {
      const titles = async () => {
        const response = await api.get(`/projects/${web.id}/activity-feed`)
        const entries: { object: { title?: string; name?: string } }[] = response.body().data
        return entries.map((entry) => entry.object.title ?? entry.object.name)
      }
      const shows = (title: string) => async () => {
        const seen = await titles()
        return seen.includes(title)
      }
      // What was committed before it started, and what comes after.
      assert.isTrue(await eventually(shows('Before the worker started'), 20_000))
      await createTask(api, web.id, { title: 'While it runs' })
      assert.isTrue(await eventually(shows('While it runs'), 10_000))
    } finally {
      worker.child.kill('SIGTERM')
    }
    const { exitCode, output } = await worker.result
    assert.equal(exitCode, 0, output)
  }).timeout(60_000)
})
