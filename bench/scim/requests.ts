/*
 * The SCIM requests bench/scim.ts sends, and what makes each answer right.
 * No app code but the URN constants: imported by the load worker thread
 * as well as by the main thread.
 */
import { URN } from '#scim/schemas/urns'
import type { LoadOutcome } from '../work_api/endpoints.js'

export type ScimCallKind = 'create' | 'filter' | 'baseline'

/** One load phase: `concurrency` clients send one request per entry of `users`. */
export interface ScimJob {
  baseUrl: string
  host: string
  /** The SCIM bearer token. */
  token: string
  kind: ScimCallKind
  /** The user each request creates or looks up (the baseline names none). */
  users: number[]
  concurrency: number
}

/** `wrongAnswers` counts unexpected statuses and right statuses with a wrong body. */
export type ScimOutcome = Omit<LoadOutcome, 'created'>

interface ScimCall {
  method: 'GET' | 'POST'
  path: string
  body?: unknown
  expect: number
  /** Why an answer with the expected status is wrong; undefined when it is right. */
  wrong(answer: any): string | undefined
}

const numbered = (n: number) => String(n).padStart(5, '0')

export function userName(n: number) {
  return `user${numbered(n)}@bench.test`
}

/** What an IdP sends for a new user (Okta and Entra send about this much). */
export function newUser(n: number) {
  return {
    schemas: [URN.user],
    userName: userName(n),
    name: { givenName: 'User', familyName: numbered(n) },
    emails: [{ value: userName(n), type: 'work', primary: true }],
    displayName: `User ${numbered(n)}`,
    active: true,
    externalId: `ext-${numbered(n)}`,
  }
}

export function userNameFilter(name: string) {
  return `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`
}

const excerpt = (answer: unknown) => JSON.stringify(answer).slice(0, 300)

export function scimCall(kind: ScimCallKind, n: number): ScimCall {
  switch (kind) {
    case 'create':
      return {
        method: 'POST',
        path: '/scim/v2/Users',
        body: newUser(n),
        expect: 201,
        wrong: (user) =>
          user.userName === userName(n) &&
          user.externalId === `ext-${numbered(n)}` &&
          /^\d+$/.test(user.id)
            ? undefined
            : `POST /Users for ${userName(n)} answered ${excerpt(user)}`,
      }
    case 'filter':
      return {
        method: 'GET',
        path: userNameFilter(userName(n)),
        expect: 200,
        wrong: (list) =>
          list.totalResults === 1 &&
          list.Resources?.length === 1 &&
          list.Resources[0].userName === userName(n)
            ? undefined
            : `filter for ${userName(n)} answered ${excerpt(list)}`,
      }
    case 'baseline':
      return {
        method: 'GET',
        path: '/scim/v2/ServiceProviderConfig',
        expect: 200,
        wrong: (config) =>
          config.schemas?.[0] === URN.serviceProviderConfig && config.filter?.supported === true
            ? undefined
            : `ServiceProviderConfig answered ${excerpt(config)}`,
      }
  }
}
