import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Group } from '@japa/runner/core'
import { Client } from 'ldapts'
import env from '#start/env'

const SLAPD = '/usr/sbin/slapd'
const SLAPADD = '/usr/sbin/slapadd'
const OPENSSL = '/usr/bin/openssl'
const SCHEMAS = '/etc/ldap/schema'
const MODULES = '/usr/lib/ldap'
const BOOT_TIMEOUT_MS = 15_000

export const slapdInstalled = existsSync(SLAPD) && existsSync(SLAPADD)
/** The TLS tests make their CA and server certificate with the openssl command line. */
export const opensslInstalled = existsSync(OPENSSL)

/**
 * Skips the group's tests when OpenLDAP is missing, unless the run
 * requires real peers (CI sets REQUIRE_PEERS): then they fail, so a CI
 * image without it cannot pass silently.
 */
export function needsSlapd(group: Group, options: { tls?: boolean } = {}) {
  const required = env.get('REQUIRE_PEERS') ?? false
  const missing = !slapdInstalled
    ? `OpenLDAP is not installed (${SLAPD}): apt-get install -y slapd ldap-utils`
    : options.tls && !opensslInstalled
      ? `openssl is not installed (${OPENSSL}): apt-get install -y openssl`
      : null
  if (!missing) {
    return
  }
  if (required) {
    group.setup(() => {
      throw new Error(`REQUIRE_PEERS is set but ${missing}`)
    })
    return
  }
  group.tap((test) => test.skip(true, missing))
}

export interface SlapdOptions {
  /** The directory's entries, as LDIF, loaded with slapadd (under `suffix`). */
  seed: string
  suffix: string
  /** slapd.conf lines added to the database section (limits, ACLs). */
  databaseConfig?: string[]
  /** Extra schema, as slapd.conf schema syntax. */
  schema?: string
  /**
   * Also serve ldaps:// and StartTLS, with a server certificate for
   * 127.0.0.1 signed by a CA made for this server.
   */
  tls?: boolean
}

export interface SlapdServer {
  url: string
  /** With `tls`: the ldaps:// URL, and the PEM of the CA that signed the server certificate. */
  ldapsUrl: string | null
  caCert: string | null
  /** The rootdn, for tests that change the directory as its administrator would. */
  rootDn: string
  rootPassword: string
  /** slapd's stats log so far (connections, BIND, SRCH lines). */
  log(): string
  /** The DNs slapd saw a BIND for, in order. */
  binds(): string[]
  /** A client bound as the rootdn; closed by the caller. */
  admin(): Promise<Client>
  /** Back to the seeded directory (stops slapd, reloads the seed, starts it on the same port). */
  reset(): Promise<void>
  stop(): Promise<void>
}

/**
 * A real OpenLDAP server on a free local port: slapd.conf and the seed
 * LDIF are written to a temporary folder, loaded with slapadd (mdb
 * backend), and slapd runs in the foreground with the stats log on
 * stderr (`-d stats`), which the tests read to see what reached it.
 */
export async function startSlapd(options: SlapdOptions): Promise<SlapdServer> {
  const folder = await mkdtemp(join(tmpdir(), 'tandem-slapd-'))
  const data = join(folder, 'data')
  const config = join(folder, 'slapd.conf')
  const seed = join(folder, 'seed.ldif')
  const rootDn = `cn=admin,${options.suffix}`
  const rootPassword = 'root-secret'
  const port = await freePort()
  const url = `ldap://127.0.0.1:${port}`
  const tlsPort = options.tls ? await freePort() : null
  const ldapsUrl = tlsPort ? `ldaps://127.0.0.1:${tlsPort}` : null
  const tls = options.tls ? await makeCertificates(folder) : null

  const includes = ['core', 'cosine', 'inetorgperson', 'nis'].map(
    (name) => `include ${SCHEMAS}/${name}.schema`
  )
  if (options.schema) {
    await writeFile(join(folder, 'test.schema'), options.schema)
    includes.push(`include ${join(folder, 'test.schema')}`)
  }
  await writeFile(
    config,
    [
      ...includes,
      ...(tls
        ? [
            `TLSCACertificateFile ${tls.caFile}`,
            `TLSCertificateFile ${tls.certFile}`,
            `TLSCertificateKeyFile ${tls.keyFile}`,
          ]
        : []),
      `modulepath ${MODULES}`,
      'moduleload back_mdb',
      `pidfile ${join(folder, 'slapd.pid')}`,
      'database mdb',
      `suffix "${options.suffix}"`,
      `rootdn "${rootDn}"`,
      `rootpw ${rootPassword}`,
      `directory ${data}`,
      'maxsize 104857600',
      ...(options.databaseConfig ?? []),
      '',
    ].join('\n')
  )
  await writeFile(seed, options.seed)

  let child: ChildProcess | null = null
  let exited: Promise<unknown> = Promise.resolve()
  let output = ''

  const load = async () => {
    await rm(data, { recursive: true, force: true })
    await mkdir(data)
    await run(SLAPADD, ['-f', config, '-l', seed])
  }
  const start = async () => {
    output = ''
    const listen = [`${url}/`, ...(ldapsUrl ? [`${ldapsUrl}/`] : [])].join(' ')
    const started = spawn(SLAPD, ['-f', config, '-h', listen, '-d', 'stats'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    started.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    started.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child = started
    exited = once(started, 'exit')
    await waitUntilListening(port, started)
  }
  const halt = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await exited
    }
    child = null
  }

  const server: SlapdServer = {
    url,
    ldapsUrl,
    caCert: tls?.caCert ?? null,
    rootDn,
    rootPassword,
    log: () => output,
    binds: () => [...output.matchAll(/ BIND dn="([^"]*)" method=/g)].map((match) => match[1]),
    async admin() {
      const client = new Client({ url, timeout: 5000, connectTimeout: 5000 })
      await client.bind(rootDn, rootPassword)
      return client
    },
    async reset() {
      await halt()
      await load()
      await start()
    },
    async stop() {
      await halt()
      await rm(folder, { recursive: true, force: true })
    },
  }

  try {
    await load()
    await start()
  } catch (error) {
    await server.stop()
    throw new Error(`slapd did not start: ${(error as Error).message}\n${output}`)
  }
  return server
}

/** A port nobody listens on (taken and released by the system), for "directory down" tests too. */
export async function freePort() {
  return new Promise<number>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port'))
      )
    })
  })
}

/** A CA, and a server certificate for 127.0.0.1 and localhost it signed (valid two days). */
async function makeCertificates(folder: string) {
  const file = (name: string) => join(folder, name)
  await writeFile(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  await run(OPENSSL, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Tandem test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  ])
  await run(OPENSSL, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  ])
  await run(OPENSSL, [
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('san.ext'),
    '-out',
    file('server.pem'),
  ])
  return {
    caFile: file('ca.pem'),
    certFile: file('server.pem'),
    keyFile: file('server.key'),
    caCert: await readFile(file('ca.pem'), 'utf8'),
  }
}

function run(command: string, args: string[]) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${output}`))
    )
  })
}

async function waitUntilListening(port: number, child: ChildProcess) {
  const deadline = Date.now() + BOOT_TIMEOUT_MS
  while (true) {
    if (child.exitCode !== null) {
      throw new Error(`exited with code ${child.exitCode}`)
    }
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (listening) {
      return
    }
    if (Date.now() > deadline) {
      throw new Error(`not listening on ${port} after ${BOOT_TIMEOUT_MS} ms`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
