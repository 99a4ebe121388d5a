import { test } from '@japa/runner'
import { runAce } from '#tests/helpers/cli'

test.group('CLI: --help', () => {
  test('{command} --help exits 0 and documents {mentions}')
    .with([
      {
        command: 'tenant:create',
        mentions: ['slug', '--name', '--admin-email', '--admin-password', '--region'],
      },
      { command: 'tenant:list', mentions: ['--json'] },
      { command: 'tenant:migrate', mentions: ['--tenant', '--concurrency', '--dry-run'] },
      { command: 'tenant:suspend', mentions: ['slug'] },
      { command: 'tenant:resume', mentions: ['slug'] },
      { command: 'tenant:drop', mentions: ['slug', '--force'] },
    ])
    .run(async ({ assert }, { command, mentions }) => {
      const result = await runAce([command, '--help'])
      assert.equal(result.exitCode, 0, result.output)
      assert.include(result.stdout, `node ace ${command}`)
      for (const mention of mentions) {
        assert.include(result.stdout, mention)
      }
      assert.notInclude(result.output, 'ERROR')
    })
})
