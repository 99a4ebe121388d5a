/*
|--------------------------------------------------------------------------
| Ace entry point
|--------------------------------------------------------------------------
|
| Operator commands work in the same zero-configuration setup as the
| server: without DATABASE_URL they use the embedded PostgreSQL (shared
| with a running `npm start`).
*/
import { prettyPrintError } from '@adonisjs/core'
import { ignite } from './ignite.js'

const ignitor = await ignite('tandem')

ignitor
  .ace()
  .handle(process.argv.splice(2))
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
