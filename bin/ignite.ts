/*
|--------------------------------------------------------------------------
| Shared boot sequence of the server, ace and the test runner
|--------------------------------------------------------------------------
|
| Prepares the local environment (embedded PostgreSQL, app key) when
| needed, then returns an Ignitor whose app stops that environment when it
| terminates.
*/
import 'reflect-metadata'
import { Ignitor } from '@adonisjs/core'
import { prepareLocalEnvironment } from './local_environment.js'

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

export async function ignite(database: 'tandem' | 'tandem_test') {
  const localEnvironment = await prepareLocalEnvironment(APP_ROOT, database)
  return new Ignitor(APP_ROOT, { importer: IMPORTER }).tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.terminating(() => localEnvironment.stop())
    app.listen('SIGTERM', () => app.terminate())
    app.listen('SIGINT', () => app.terminate())
  })
}
