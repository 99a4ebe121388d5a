import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { MemberChangeActor } from '#identity/member_change_actor'
import type { RequestOrigin } from '#identity/request_origin'
import type { ScimCaller } from '#scim/services/scim_tokens'
import type { ScimJson } from '#scim/input/canonical_resource'
import { ScimError } from '#scim/scim_error'

/** A SCIM request as the provisioning services need it. */
export interface ScimRequest {
  caller: ScimCaller
  origin: RequestOrigin
  baseUrl: string
  /** The If-Match header (RFC 7644 section 3.14), when given. */
  ifMatch?: string
}

/** A SCIM token acting on members: audited as the token, deactivations as `scim`. */
export function scimActor(caller: ScimCaller): MemberChangeActor {
  return { audit: { type: 'scim_token', id: caller.tokenId }, eventActorId: null, source: 'scim' }
}

/** Refuses a change based on an outdated read (412, RFC 7644 section 3.14). */
export function checkVersion(request: ScimRequest, current: ScimJson) {
  const version = (current.meta as { version: string }).version
  if (request.ifMatch && request.ifMatch !== '*' && request.ifMatch !== version) {
    throw new ScimError(412, undefined, 'The resource changed since this version was read')
  }
}

/**
 * A provisioning transaction. Two requests racing for one unique value
 * (userName, email, displayName) both pass the checks; the unique index
 * stops the second, which gets 409 uniqueness, not 500.
 */
export async function inScimTransaction<T>(
  work: (trx: TransactionClientContract) => Promise<T>,
  conflict: string
) {
  try {
    return await db.transaction(work)
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new ScimError(409, 'uniqueness', conflict)
    }
    throw error
  }
}
