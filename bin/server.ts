/*
|--------------------------------------------------------------------------
| HTTP server entry point
|--------------------------------------------------------------------------
|
| `npm start` runs this file. Without DATABASE_URL an embedded PostgreSQL
| is started (data under .tandem/postgres, kept across restarts); central
| migrations and the demo tenant are handled by start/database.ts before
| the server accepts requests.
*/
import { prettyPrintError } from '@adonisjs/core'
import { ignite } from './ignite.js'

const ignitor = await ignite('tandem')

ignitor
  .httpServer()
  .start()
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
