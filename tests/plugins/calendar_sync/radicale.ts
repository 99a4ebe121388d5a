import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Group } from '@japa/runner/core'
import env from '#start/env'

const RADICALE = '/usr/bin/radicale'
/** Ports Radicale may take (the first free one), away from the test server's PORT. */
const PORTS = [3372, 3373, 3374, 3375, 3376, 3377, 3378, 3379]
const BOOT_TIMEOUT_MS = 15_000

export const radicaleInstalled = existsSync(RADICALE)

/**
 * Skips the group's tests when Radicale is missing, unless the run
 * requires real peers (CI sets REQUIRE_PEERS): then they fail, so a CI
 * image without it cannot pass silently.
 */
export function needsRadicale(group: Group) {
  const required = env.get('REQUIRE_PEERS') ?? false
  if (radicaleInstalled) {
    return
  }
  if (required) {
    group.setup(() => {
      throw new Error(`REQUIRE_PEERS is set but Radicale is not installed (${RADICALE})`)
    })
    return
  }
  group.tap((test) =>
    test.skip(true, `Radicale is not installed (${RADICALE}): apt-get install -y radicale`)
  )
}

export interface RadicaleServer {
  url: string
  /** Adds an htpasswd user (Radicale reads the file on every login). */
  createUser(name: string, password: string): Promise<void>
  /** Creates a calendar collection in the user's home and returns its URL. */
  createCalendar(
    user: { name: string; password: string },
    slug: string,
    components?: Array<'VTODO' | 'VEVENT'>
  ): Promise<string>
  /** Output so far, for failure messages. */
  output(): string
  stop(): Promise<void>
}

/**
 * A real CalDAV server on a free local port, with its own storage folder
 * and plain htpasswd authentication (Radicale 3.1 supports plain, md5,
 * bcrypt; plain needs no Python extras).
 */
export async function startRadicale(): Promise<RadicaleServer> {
  const folder = await mkdtemp(join(tmpdir(), 'tandem-radicale-'))
  const htpasswd = join(folder, 'users')
  const config = join(folder, 'config')
  const port = await freePort()
  await writeFile(htpasswd, '')
  await writeFile(
    config,
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${htpasswd}`,
      'htpasswd_encryption = plain',
      // Wrong passwords are answered at once, so the bad-credentials tests stay fast.
      'delay = 0',
      '[rights]',
      'type = owner_only',
      '[storage]',
      `filesystem_folder = ${join(folder, 'collections')}`,
      '[web]',
      'type = none',
      '[logging]',
      'level = warning',
      '',
    ].join('\n')
  )

  const child = spawn(RADICALE, ['--config', config], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const exited = once(child, 'exit')
  const url = `http://127.0.0.1:${port}`

  const server: RadicaleServer = {
    url,
    output: () => output,
    async createUser(name, password) {
      await appendFile(htpasswd, `${name}:${password}\n`)
    },
    async createCalendar(user, slug, components = ['VTODO', 'VEVENT']) {
      const calendarUrl = `${url}/${user.name}/${slug}/`
      const response = await fetch(calendarUrl, {
        method: 'MKCALENDAR',
        headers: {
          'authorization': basicAuth(user.name, user.password),
          'content-type': 'application/xml; charset=utf-8',
        },
        body: mkcalendarBody(slug, components),
      })
      if (response.status !== 201) {
        throw new Error(`MKCALENDAR ${calendarUrl}: ${response.status} ${await response.text()}`)
      }
      return calendarUrl
    },
    async stop() {
      await stopProcess(child, exited)
      await rm(folder, { recursive: true, force: true })
    },
  }

  try {
    await waitUntilAnswering(url, child)
  } catch (error) {
    await server.stop()
    throw new Error(`Radicale did not start: ${(error as Error).message}\n${output}`)
  }
  return server
}

export function basicAuth(user: string, password: string) {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
}

function mkcalendarBody(name: string, components: string[]) {
  const comps = components.map((component) => `<C:comp name="${component}"/>`).join('')
  return `<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop>
    <D:displayname>${name}</D:displayname>
    <C:supported-calendar-component-set>${comps}</C:supported-calendar-component-set>
  </D:prop></D:set>
</C:mkcalendar>`
}

async function freePort() {
  for (const port of PORTS) {
    if (await isFree(port)) {
      return port
    }
  }
  throw new Error(`No free port among ${PORTS.join(', ')} for Radicale`)
}

function isFree(port: number) {
  return new Promise<boolean>((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

async function waitUntilAnswering(url: string, child: ChildProcess) {
  const deadline = Date.now() + BOOT_TIMEOUT_MS
  while (true) {
    if (child.exitCode !== null) {
      throw new Error(`exited with code ${child.exitCode}`)
    }
    try {
      await fetch(url, { method: 'OPTIONS' })
      return
    } catch {
      if (Date.now() > deadline) {
        throw new Error(`no answer on ${url} after ${BOOT_TIMEOUT_MS} ms`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

async function stopProcess(child: ChildProcess, exited: Promise<unknown>) {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM')
    await exited
  }
}
