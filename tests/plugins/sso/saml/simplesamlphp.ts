import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Group } from '@japa/runner/core'
import env from '#start/env'
import { createSigningKey } from './signing_key.js'

const PHP = '/usr/bin/php'
const WWW = '/usr/share/simplesamlphp/www'
const BOOT_TIMEOUT_MS = 15_000
const EMAIL_NAME_ID = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'

/** SimpleSAMLphp 1.19 needs PHP's DOM (php-xml) and mbstring extensions besides the package. */
function missingPieces() {
  if (!existsSync(PHP) || !existsSync(WWW)) {
    return 'apt-get install -y simplesamlphp php-cli php-xml php-mbstring'
  }
  const modules = execFileSync(PHP, ['-m'], { encoding: 'utf8' })
  const missing = ['dom', 'mbstring'].filter((name) => !new RegExp(`^${name}$`, 'mi').test(modules))
  return missing.length > 0
    ? `PHP lacks ${missing.join(', ')}: apt-get install -y php-xml php-mbstring`
    : null
}

/**
 * Skips the group's tests when SimpleSAMLphp cannot run here, unless the
 * run requires real peers (REQUIRE_PEERS): then they fail.
 */
export function needsSimpleSamlPhp(group: Group) {
  const missing = missingPieces()
  if (!missing) {
    return
  }
  if (env.get('REQUIRE_PEERS') ?? false) {
    group.setup(() => {
      throw new Error(`REQUIRE_PEERS is set but SimpleSAMLphp cannot run: ${missing}`)
    })
    return
  }
  group.tap((test) => test.skip(true, `SimpleSAMLphp cannot run: ${missing}`))
}

export interface IdpUser {
  username: string
  password: string
  /** SimpleSAMLphp attributes; `email` also becomes the NameID. */
  attributes: Record<string, string[]>
}

export interface ServiceProvider {
  entityId: string
  acsUrl: string
}

export interface SimpleSamlPhp {
  url: string
  entityId: string
  metadataUrl: string
  ssoUrl: string
  /** The IdP's signing certificate (PEM). */
  certificate: string
  output(): string
  stop(): Promise<void>
}

/** A JavaScript value as a PHP literal (strings, booleans, numbers, lists, maps). */
function php(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
  }
  if (typeof value === 'boolean' || typeof value === 'number') {
    return String(value)
  }
  if (value === null) {
    return 'null'
  }
  if (Array.isArray(value)) {
    return `[${value.map(php).join(', ')}]`
  }
  const entries = Object.entries(value as Record<string, unknown>)
  return `[${entries.map(([key, entry]) => `${php(key)} => ${php(entry)}`).join(', ')}]`
}

const phpFile = (variable: string, entries: Record<string, unknown>) =>
  `<?php\n$${variable} = [];\n${Object.entries(entries)
    .map(([key, value]) => `$${variable}[${php(key)}] = ${php(value)};`)
    .join('\n')}\n`

async function freePort() {
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/**
 * A real SAML 2.0 IdP: Debian's SimpleSAMLphp under `php -S` on a free
 * local port, with its own config folder (SIMPLESAMLPHP_CONFIG_DIR), a
 * fresh signing key, `exampleauth:UserPass` users, and the given SPs
 * (email NameID).
 */
export async function startSimpleSamlPhp(options: {
  serviceProviders: ServiceProvider[]
  users: IdpUser[]
}): Promise<SimpleSamlPhp> {
  const folder = await mkdtemp(join(tmpdir(), 'tandem-simplesamlphp-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  for (const sub of ['config', 'metadata', 'cert', 'tmp', 'data', 'log']) {
    await mkdir(join(folder, sub))
  }
  const key = await createSigningKey(join(folder, 'cert'), 'idp')
  await writeFile(
    join(folder, 'config', 'config.php'),
    phpFile('config', {
      'baseurlpath': `${url}/`,
      'certdir': join(folder, 'cert') + '/',
      'loggingdir': join(folder, 'log') + '/',
      'datadir': join(folder, 'data') + '/',
      'tempdir': join(folder, 'tmp'),
      'metadatadir': join(folder, 'metadata') + '/',
      'technicalcontact_name': 'Tandem tests',
      'technicalcontact_email': 'tests@tandem.test',
      'secretsalt': 'tandem-tests-salt-not-secret',
      'auth.adminpassword': 'unused-admin-password',
      'admin.protectindexpage': false,
      'admin.protectmetadata': false,
      'admin.checkforupdates': false,
      'timezone': 'UTC',
      'logging.handler': 'stderr',
      'enable.saml20-idp': true,
      'module.enable': { exampleauth: true, core: true, saml: true, admin: true },
      'store.type': 'phpsession',
      'session.phpsession.savepath': join(folder, 'tmp'),
      // Plain http on localhost: cookies marked secure would never come back.
      'session.cookie.secure': false,
      'session.cookie.samesite': null,
      'language.cookie.secure': false,
      'production': false,
      'errorreporting': false,
      'metadata.sources': [{ type: 'flatfile' }],
    })
  )
  await writeFile(
    join(folder, 'config', 'authsources.php'),
    phpFile('config', {
      admin: ['core:AdminPassword'],
      users: {
        0: 'exampleauth:UserPass',
        ...Object.fromEntries(
          options.users.map((user) => [`${user.username}:${user.password}`, user.attributes])
        ),
      },
    })
  )
  await writeFile(
    join(folder, 'metadata', 'saml20-idp-hosted.php'),
    phpFile('metadata', {
      '__DYNAMIC:1__': {
        host: '__DEFAULT__',
        privatekey: 'idp.pem',
        certificate: 'idp.crt',
        auth: 'users',
      },
    })
  )
  await writeFile(
    join(folder, 'metadata', 'saml20-sp-remote.php'),
    phpFile(
      'metadata',
      Object.fromEntries(
        options.serviceProviders.map((sp) => [
          sp.entityId,
          {
            'AssertionConsumerService': sp.acsUrl,
            'NameIDFormat': EMAIL_NAME_ID,
            'simplesaml.nameidattribute': 'email',
          },
        ])
      )
    )
  )

  const child = spawn(PHP, ['-S', `127.0.0.1:${port}`, '-t', WWW], {
    cwd: WWW,
    env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: join(folder, 'config') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const exited = once(child, 'exit')

  const server: SimpleSamlPhp = {
    url,
    entityId: `${url}/saml2/idp/metadata.php`,
    metadataUrl: `${url}/saml2/idp/metadata.php`,
    ssoUrl: `${url}/saml2/idp/SSOService.php`,
    certificate: key.certificate,
    output: () => output,
    async stop() {
      await stopProcess(child, exited)
      await rm(folder, { recursive: true, force: true })
    },
  }
  try {
    await waitForMetadata(server.metadataUrl, child)
  } catch (error) {
    await server.stop()
    throw new Error(`SimpleSAMLphp did not start: ${(error as Error).message}\n${output}`)
  }
  return server
}

async function waitForMetadata(metadataUrl: string, child: ChildProcess) {
  const deadline = Date.now() + BOOT_TIMEOUT_MS
  while (true) {
    if (child.exitCode !== null) {
      throw new Error(`exited with code ${child.exitCode}`)
    }
    try {
      const response = await fetch(metadataUrl)
      const body = await response.text()
      if (response.ok && body.includes('IDPSSODescriptor')) {
        return
      }
      throw new Error(`metadata answered ${response.status}: ${body.slice(0, 300)}`)
    } catch (error) {
      if (Date.now() > deadline) {
        throw error
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
