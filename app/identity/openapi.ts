import type { JSONSchema7 } from 'json-schema'
import { defineOperations } from '#shared/openapi/operation'
import { page, resource } from '#shared/openapi/schemas'
import { loginValidator, signInPolicyValidator } from '#identity/validators/auth'
import {
  acceptInvitationValidator,
  inviteMemberValidator,
  listMembersValidator,
  updateMemberValidator,
} from '#identity/validators/members'

export const identitySchemas: Record<string, JSONSchema7> = {
  Member: {
    type: 'object',
    required: ['id', 'email', 'full_name', 'role', 'status', 'created_at', 'deactivated_at'],
    properties: {
      id: { type: 'integer' },
      email: { type: 'string', format: 'email' },
      full_name: { type: 'string' },
      role: { enum: ['owner', 'admin', 'member', 'guest'] },
      status: { enum: ['active', 'deactivated'] },
      created_at: { type: 'string', format: 'date-time' },
      deactivated_at: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  Session: {
    type: 'object',
    required: ['token', 'type', 'expires_at', 'user'],
    properties: {
      token: { type: 'string', description: 'Opaque bearer token, shown once' },
      type: { const: 'bearer' },
      expires_at: { type: ['string', 'null'], format: 'date-time' },
      user: { $ref: '#/components/schemas/Member' },
    },
  },
  SignInPolicy: {
    type: 'object',
    required: ['require_sso', 'updated_by', 'updated_at'],
    properties: {
      require_sso: {
        type: 'boolean',
        description: 'Password sign-in refused to all but owners (their break-glass path)',
      },
      updated_by: { type: ['integer', 'null'] },
      updated_at: { type: 'string', format: 'date-time' },
    },
  },
  SignInProviders: {
    type: 'object',
    required: ['password', 'providers'],
    properties: {
      password: {
        type: 'object',
        properties: { enabled: { type: 'boolean' }, owners_only: { type: 'boolean' } },
      },
      providers: {
        type: 'array',
        items: {
          type: 'object',
          required: ['plugin', 'id', 'name', 'kind', 'url'],
          properties: {
            plugin: { type: 'string' },
            id: { type: 'string' },
            name: { type: 'string' },
            kind: { enum: ['redirect', 'credentials'] },
            url: { type: 'string' },
          },
        },
      },
    },
  },
  Invitation: {
    type: 'object',
    required: ['id', 'email', 'role', 'expires_at', 'token', 'accept_url'],
    properties: {
      id: { type: 'integer' },
      email: { type: 'string', format: 'email' },
      role: { enum: ['admin', 'member', 'guest'] },
      expires_at: { type: 'string', format: 'date-time' },
      token: { type: 'string', description: 'Shown once; only its hash is stored' },
      accept_url: { type: 'string' },
    },
  },
}

const memberChange = (summary: string) => ({
  summary,
  tag: 'Members',
  responses: {
    200: { description: 'The member after the change', schema: resource('Member') },
    403: { description: 'Not allowed for this caller' },
    404: { description: 'No such member in this workspace' },
    409: { description: 'The workspace would lose its last owner' },
  },
})

export const identityOperations = defineOperations({
  'auth.login': {
    summary: 'Sign in with email and password; returns an access token',
    tag: 'Authentication',
    authenticated: false,
    body: loginValidator,
    responses: {
      201: { description: 'Signed in', schema: resource('Session') },
      401: { description: 'Invalid email or password (E_INVALID_CREDENTIALS)' },
      403: {
        description:
          'Account deactivated (E_ACCOUNT_DEACTIVATED), or the workspace requires SSO (E_SSO_REQUIRED)',
      },
      429: { description: 'Too many failed attempts (E_TOO_MANY_ATTEMPTS), see Retry-After' },
    },
  },
  'auth.providers': {
    summary: 'How one signs in to this workspace: password, and the SSO methods its plugins offer',
    tag: 'Authentication',
    authenticated: false,
    responses: { 200: { description: 'Sign-in methods', schema: resource('SignInProviders') } },
  },
  'sign_in_policy.show': {
    summary: 'The sign-in policy (admins and owners)',
    tag: 'Authentication',
    responses: { 200: { description: 'The policy', schema: resource('SignInPolicy') } },
  },
  'sign_in_policy.update': {
    summary: 'Require SSO, or not (owners only; owners keep password sign-in)',
    tag: 'Authentication',
    body: signInPolicyValidator,
    responses: { 200: { description: 'The policy', schema: resource('SignInPolicy') } },
  },
  'auth.logout': {
    summary: 'Revoke the token used for this request',
    tag: 'Authentication',
    responses: { 204: { description: 'Token revoked' } },
  },
  'me': {
    summary: 'The signed-in member',
    tag: 'Authentication',
    responses: { 200: { description: 'The member', schema: resource('Member') } },
  },
  'members.index': {
    summary: 'List members (not for guests)',
    tag: 'Members',
    query: listMembersValidator,
    responses: { 200: { description: 'A page of members', schema: page('Member') } },
  },
  'members.invite': {
    summary: 'Invite someone by email (admins and owners)',
    tag: 'Members',
    body: inviteMemberValidator,
    idempotent: true,
    responses: {
      201: { description: 'Invitation created', schema: resource('Invitation') },
      409: { description: 'Already a member (E_MEMBER_EXISTS)' },
    },
  },
  'invitations.accept': {
    summary: 'Accept an invitation, creating the account',
    tag: 'Members',
    authenticated: false,
    body: acceptInvitationValidator,
    responses: {
      201: { description: 'The new member', schema: resource('Member') },
      404: { description: 'Invalid, expired or used invitation (E_INVITATION_INVALID)' },
    },
  },
  'members.update': {
    ...memberChange("Change a member's role"),
    body: updateMemberValidator,
  },
  'members.deactivate': memberChange('Deactivate a member: keeps content, revokes every token'),
  'members.reactivate': memberChange('Reactivate a deactivated member'),
})
