/**
 * scimType values of RFC 7644 section 3.12.
 */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'

/**
 * An error a SCIM client is told about, rendered as RFC 7644 section 3.12
 * describes (`schemas`, `status` as a string, `scimType`, `detail`).
 */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    detail: string
  ) {
    super(detail)
  }

  static badRequest(scimType: ScimType, detail: string) {
    return new ScimError(400, scimType, detail)
  }

  static notFound(detail = 'Resource not found') {
    return new ScimError(404, undefined, detail)
  }
}
