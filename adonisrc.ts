import { indexEntities } from '@adonisjs/core'
import { defineConfig } from '@adonisjs/core/app'

export default defineConfig({
  hooks: { init: [indexEntities()] },

  commands: [() => import('@adonisjs/core/commands')],

  providers: [
    () => import('@adonisjs/core/providers/app_provider'),
    () => import('@adonisjs/core/providers/hash_provider'),
    () => import('@adonisjs/core/providers/vinejs_provider'),
    { file: () => import('@adonisjs/core/providers/repl_provider'), environment: ['repl'] },
    () => import('@adonisjs/lucid/database_provider'),
    () => import('@adonisjs/auth/auth_provider'),
    () => import('@adonisjs/bouncer/bouncer_provider'),
    () => import('@adonisjs/limiter/limiter_provider'),
    () => import('@adonisjs/redis/redis_provider'),
    () => import('@adonisjs/transmit/transmit_provider'),
    () => import('#providers/tenancy_provider'),
    () => import('#providers/events_provider'),
    () => import('#providers/work_provider'),
    () => import('#providers/realtime_provider'),
    () => import('#providers/presence_provider'),
    () => import('#providers/plugins_provider'),
  ],

  preloads: [
    () => import('#start/routes'),
    () => import('#start/kernel'),
    { file: () => import('#start/database'), environment: ['web'] },
  ],

  tests: {
    suites: [
      { name: 'unit', files: ['tests/unit/**/*.spec.ts'], timeout: 10_000 },
      { name: 'functional', files: ['tests/functional/**/*.spec.ts'], timeout: 60_000 },
      { name: 'plugins', files: ['tests/plugins/**/*.spec.ts'], timeout: 60_000 },
    ],
    forceExit: false,
  },
})
