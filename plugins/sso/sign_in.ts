import { createHash, randomBytes } from 'node:crypto'
import {
  PluginError,
  reply,
  type PluginContext,
  type PluginMember,
  type PluginRequest,
} from '#plugin-api'
import type { SsoSettings } from './settings.js'
import { SignInRefused, type VerifiedIdentity } from './verified_identity.js'

/** How long the browser has to trade its code for the token. */
const CODE_TTL_MS = 60_000

type Context = PluginContext<SsoSettings>
type MappedRole = 'admin' | 'member' | 'guest'
const RANK: Record<MappedRole, number> = { guest: 0, member: 1, admin: 2 }

export function codeHash(code: string) {
  return createHash('sha256').update(code).digest('hex')
}

function mappedRole(settings: SsoSettings, groups: string[]): MappedRole | null {
  const wanted = new Set(groups.map((group) => group.toLowerCase()))
  let best: MappedRole | null = null
  for (const mapping of settings.group_roles ?? []) {
    if (wanted.has(mapping.group.toLowerCase()) && (!best || RANK[mapping.role] > RANK[best])) {
      best = mapping.role
    }
  }
  return best
}

function checkDomain(settings: SsoSettings, identity: VerifiedIdentity, email: string) {
  const allowed = settings.allowed_email_domains ?? []
  const domain = email.split('@')[1] ?? ''
  if (allowed.length > 0 && !allowed.includes(domain)) {
    throw new SignInRefused('email_domain_not_allowed', identity.protocol, { email })
  }
}

/** Only back to this workspace (or the configured return URL's origin): never an open redirect. */
function returnUrlOf(context: Context, identity: VerifiedIdentity) {
  const fallback = context.settings.return_url ?? context.url('/')
  const allowed = new Set([new URL(context.url('/')).origin, new URL(fallback).origin])
  try {
    const asked = identity.returnUrl ? new URL(identity.returnUrl) : null
    return asked && allowed.has(asked.origin) ? asked : new URL(fallback)
  } catch {
    return new URL(fallback)
  }
}

async function linkedMember(context: Context, identity: VerifiedIdentity) {
  const found = await context.db
    .table('identities')
    .where({ protocol: identity.protocol, issuer: identity.issuer, subject: identity.subject })
    .first()
  return found ? context.api.members.get(found.member_id) : null
}

async function memberFor(context: Context, identity: VerifiedIdentity, email: string) {
  const member =
    (await linkedMember(context, identity)) ?? (await context.api.members.findByEmail(email))
  const role = mappedRole(context.settings, identity.groups)
  if (!member) {
    if (context.settings.jit_provisioning === false) {
      throw new SignInRefused('not_provisioned', identity.protocol, { email })
    }
    return context.api.members.provision({
      email,
      full_name: identity.fullName ?? email,
      role: role ?? 'member',
    })
  }
  const change: { email?: string; full_name?: string; role?: MappedRole } = {}
  if (member.email !== email) change.email = email
  if (identity.fullName && member.full_name !== identity.fullName)
    change.full_name = identity.fullName
  if (role && member.role !== 'owner' && member.role !== role) change.role = role
  if (Object.keys(change).length === 0) {
    return member
  }
  return context.api.members.update(member.id, change).catch((error) => {
    if (error instanceof PluginError && error.code === 'E_MEMBER_EXISTS') {
      throw new SignInRefused('email_taken', identity.protocol, { email })
    }
    throw error
  })
}

async function link(context: Context, identity: VerifiedIdentity, member: PluginMember) {
  const now = new Date()
  await context.db
    .table('identities')
    .insert({
      protocol: identity.protocol,
      issuer: identity.issuer,
      subject: identity.subject,
      member_id: member.id,
      linked_at: now,
      last_login_at: now,
    })
    .onConflict(['protocol', 'issuer', 'subject'])
    .merge(['member_id', 'last_login_at'])
}

/**
 * The end of every SSO sign-in, once the protocol verified the identity:
 * the member is found (by account link, then email) or created, their
 * name, email and mapped role follow the IdP, and the browser is sent
 * back with a one-time code it trades for a normal access token
 * (`POST /api/v1/plugins/sso/exchange`), so no token travels in a URL.
 */
export async function completeSignIn(
  context: Context,
  identity: VerifiedIdentity,
  request: PluginRequest
) {
  const email = identity.email.trim().toLowerCase()
  checkDomain(context.settings, identity, email)
  const member = await memberFor(context, identity, email)
  if (member.status !== 'active') {
    throw new SignInRefused('deactivated', identity.protocol, { member_id: member.id })
  }
  await link(context, identity, member)
  const session = await context.api.sessions.issue(member.id, {
    method: identity.protocol,
    ip: request.ip,
    user_agent: String(request.headers['user-agent'] ?? '') || null,
  })
  const code = randomBytes(32).toString('base64url')
  await context.db.table('login_codes').insert({
    code_hash: codeHash(code),
    token_encrypted: context.secrets.encrypt(JSON.stringify(session)),
    expires_at: new Date(Date.now() + CODE_TTL_MS),
  })
  await context.audit.record('login', {
    target: { type: 'user', id: member.id },
    ip: request.ip,
    metadata: { protocol: identity.protocol, issuer: identity.issuer, subject: identity.subject },
  })
  const location = returnUrlOf(context, identity)
  location.searchParams.set('code', code)
  return reply({ status: 302, headers: { location: location.toString() } })
}

/**
 * A refused sign-in: audited with the real reason, answered with one
 * generic error (the reason could help an attacker, not the member).
 */
export async function refuseSignIn(context: Context, error: unknown, request: PluginRequest) {
  if (!(error instanceof SignInRefused)) {
    throw error
  }
  await context.audit.record('login_failed', {
    ip: request.ip,
    metadata: { protocol: error.protocol, reason: error.reason, ...error.detail },
  })
  return reply({
    status: 401,
    body: { errors: [{ code: 'E_SSO_FAILED', message: 'Single sign-on failed' }] },
  })
}
