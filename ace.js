/*
|--------------------------------------------------------------------------
| JavaScript entrypoint for running ace commands
|--------------------------------------------------------------------------
|
| The ts-exec hook compiles TypeScript on the fly, so `node ace` works
| without a build step. Run it through `npm run ace -- <command>` to get
| the Node 24 binary from devDependencies.
*/
import '@poppinss/ts-exec'

await import('./bin/console.js')
