import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import testUtils from '@adonisjs/core/services/test_utils'
import server from '@adonisjs/core/services/server'
import type { Server as HttpServer } from 'node:http'
import { resetDatabase } from '#tests/helpers/database'
import { attachGateway } from '#tests/helpers/realtime'

export const plugins: Config['plugins'] = [assert(), apiClient(), pluginAdonisJS(app)]

let closeServer: (() => Promise<void> | void) | undefined

/**
 * Every run starts from an empty deployment: no tenant schema, a freshly
 * migrated central schema. One HTTP server with its socket gateway serves
 * every suite of the run: the gateway attaches once per process, as in
 * production (a second attach would leave the first one's Redis clients
 * open).
 */
export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [
    () => resetDatabase(),
    async () => {
      closeServer = await testUtils.httpServer().start()
      await attachGateway()
    },
  ],
  teardown: [
    async () => {
      // Keep-alive connections of fetch clients in the tests (a browser
      // played through an IdP) would hold the server open indefinitely.
      ;(server.getNodeServer() as HttpServer | undefined)?.closeAllConnections()
      await closeServer?.()
    },
  ],
}
