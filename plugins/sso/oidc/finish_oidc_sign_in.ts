import * as oidc from 'openid-client'
import { reply, type PluginContext, type PluginReply, type PluginRequest } from '#plugin-api'
import type { SsoSettings } from '../settings.js'
import { completeSignIn, refuseSignIn } from '../sign_in.js'
import { SignInRefused } from '../verified_identity.js'
import { clearedBindingCookie, isBoundTo } from './browser_binding.js'
import { needsUserInfo, oidcIdentity } from './oidc_identity.js'
import { relyingParty } from './relying_party.js'
import { tokenRefusal } from './token_refusal.js'

type Context = PluginContext<SsoSettings>

interface PendingRequest {
  nonce: string
  code_verifier: string
  return_url: string | null
  expires_at: Date | string
}

function text(value: unknown, max = 300) {
  return typeof value === 'string' ? value.slice(0, max) : undefined
}

/** The pending request of this state, taken out: a state is accepted once. */
async function takePending(context: Context, request: PluginRequest) {
  const state = request.query.state
  if (typeof state !== 'string' || !state) {
    throw new SignInRefused('unknown_state', 'oidc')
  }
  const [pending] = (await context.db
    .table('pending_requests')
    .where({ id: state, protocol: 'oidc' })
    .delete()
    .returning(['nonce', 'code_verifier', 'return_url', 'expires_at'])) as PendingRequest[]
  if (!pending) {
    throw new SignInRefused('unknown_state', 'oidc')
  }
  if (new Date(pending.expires_at) <= new Date()) {
    throw new SignInRefused('expired_state', 'oidc')
  }
  if (!isBoundTo(request, state)) {
    throw new SignInRefused('wrong_state', 'oidc', { binding: 'cookie' })
  }
  return { state, pending }
}

/**
 * The callback URL openid-client checks: the registered redirect URI
 * (not the Host the request came with) and the parameters the IdP sent.
 */
function callbackUrl(redirectUri: string, query: Record<string, unknown>) {
  const url = new URL(redirectUri)
  for (const [name, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string') {
        url.searchParams.append(name, item)
      }
    }
  }
  return url
}

async function verifiedIdentity(context: Context, request: PluginRequest) {
  const { state, pending } = await takePending(context, request)
  if (request.query.error !== undefined) {
    throw new SignInRefused('idp_error', 'oidc', {
      error: text(request.query.error, 100),
      error_description: text(request.query.error_description),
    })
  }
  const party = await relyingParty(context)
  const groupsClaim = context.settings.oidc_groups_claim ?? 'groups'
  const tokens = await oidc
    .authorizationCodeGrant(party.config, callbackUrl(party.redirectUri, request.query), {
      pkceCodeVerifier: pending.code_verifier,
      expectedState: state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    })
    .catch((error) => {
      throw tokenRefusal(error)
    })
  await party.saveKeys()
  const idToken = tokens.claims()!
  let userInfo: oidc.UserInfoResponse | null = null
  if (needsUserInfo(idToken, groupsClaim) && party.config.serverMetadata().userinfo_endpoint) {
    userInfo = await oidc
      .fetchUserInfo(party.config, tokens.access_token, idToken.sub)
      .catch((error) => {
        throw new SignInRefused('userinfo_failed', 'oidc', {
          message: error instanceof Error ? error.message.slice(0, 300) : String(error),
        })
      })
  }
  return oidcIdentity(party.issuer, idToken, userInfo, groupsClaim, pending.return_url)
}

function withHeaders(answer: PluginReply, headers: Record<string, string>) {
  return reply({
    status: answer.status,
    body: answer.body,
    headers: { ...answer.headers, ...headers },
  })
}

/**
 * GET /auth/oidc/callback: the IdP's authorization response. The pending
 * request is found by state and deleted, the code is exchanged with its
 * PKCE verifier, and openid-client checks the response and the ID token
 * (issuer, audience, expiry, nonce, signature) before the member is
 * signed in. Whatever goes wrong is audited with its reason, and the
 * browser gets one generic 401.
 */
export async function finishOidcSignIn(context: Context, request: PluginRequest) {
  let answer: PluginReply
  try {
    const identity = await verifiedIdentity(context, request)
    answer = await completeSignIn(context, identity, request)
  } catch (error) {
    answer = await refuseSignIn(context, error, request)
  }
  // The URL held a code and the next one holds another: no Referer to anyone.
  return withHeaders(answer, {
    'set-cookie': clearedBindingCookie(context.url('/').startsWith('https:')),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  })
}
