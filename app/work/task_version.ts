import type { HttpContext } from '@adonisjs/core/http'
import { InvalidReferenceException } from '#work/exceptions'

/**
 * The task version a write expects, from `If-Match: "3"` (the ETag of a
 * task response) or else from a `version` body field; `undefined` writes
 * whatever the current version is.
 */
export function expectedVersion(request: HttpContext['request'], bodyVersion?: number) {
  const header = request.header('if-match')
  if (header === undefined || header.trim() === '*') {
    return bodyVersion
  }
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header)
  if (!match) {
    throw new InvalidReferenceException('If-Match', 'If-Match must be a task ETag such as "3"')
  }
  return Number(match[1])
}

/** Tags a task response with its version, for the next `If-Match`. */
export function tagVersion(response: HttpContext['response'], version: number) {
  response.header('ETag', `"${version}"`)
}
