import { ScimError } from '#scim/scim_error'
import { addAt } from '#scim/patch/add_operation'
import { replaceAt } from '#scim/patch/replace_operation'
import { removeAt } from '#scim/patch/remove_operation'
import { isReadOnly } from '#scim/patch/mutability'
import { ResourceDraft } from '#scim/patch/resource_draft'
import { parsePatchPath, type AttributePath } from '#scim/patch/patch_path'
import { pathLessTargets, type ValueTarget } from '#scim/patch/path_less_value'
import { isJsonObject, sameJson, valueOf } from '#scim/patch/json_value'
import type { PatchOperation, ResourceSchemas, ScimResourceJson } from '#scim/patch/patch_operation'

export type { PatchOperation, ResourceSchemas, ScimResourceJson } from '#scim/patch/patch_operation'

/**
 * Applies the operations of a SCIM PATCH (RFC 7644 section 3.5.2) to a
 * resource's current representation, in order, each seeing the result of
 * the ones before, and returns the new representation; `resource` itself is
 * never changed. The first operation that cannot apply throws a ScimError
 * and so rejects the whole PATCH, as the RFC requires.
 *
 * The caller validates the result as it would a PUT body, so values are
 * left as given here: no coercion (Entra's `"active": "False"` stays a
 * string) and no type checks.
 */
export function applyPatch(
  resource: ScimResourceJson,
  operations: PatchOperation[],
  schemas: ResourceSchemas
): ScimResourceJson {
  if (!Array.isArray(operations)) {
    throw ScimError.badRequest('invalidSyntax', 'Operations is a list of operations')
  }
  const draft = new ResourceDraft(resource, schemas.core)
  for (const operation of operations) applyOperation(draft, operation, schemas)
  return draft.result
}

function applyOperation(draft: ResourceDraft, operation: PatchOperation, schemas: ResourceSchemas) {
  const op = operationName(operation)
  const path = pathOf(operation)

  if (op === 'remove') {
    if (path === undefined) {
      throw ScimError.badRequest('noTarget', 'A remove operation needs a path')
    }
    const target = parsePatchPath(path, schemas)
    if (target.kind === 'schema') return draft.removeSchema(target.schema)
    return removeAt(draft, target, operation.value)
  }

  if (operation.value === undefined) {
    throw ScimError.badRequest('invalidValue', `An ${op} operation needs a value`)
  }
  const write = op === 'add' ? addAt : replaceAt
  const target = path === undefined ? undefined : parsePatchPath(path, schemas)
  if (target?.kind === 'attribute') return write(draft, target, operation.value)

  for (const each of pathLessTargets(operation.value, schemas, target?.schema)) {
    // Okta renames a group with {"op":"replace","value":{"id":"<id>","displayName":"..."}}:
    // a readOnly attribute repeating its current value is skipped, not refused.
    if (isReadOnly(each.path) && echoesCurrentValue(draft, each)) continue
    write(draft, each.path, each.value)
  }
}

/** Entra capitalises ops ("Replace"); RFC 7644 spells them in lower case. */
function operationName(operation: PatchOperation) {
  const op = isJsonObject(operation) && typeof operation.op === 'string' ? operation.op : undefined
  const name = op?.trim().toLowerCase()
  if (name === 'add' || name === 'replace' || name === 'remove') return name
  throw ScimError.badRequest(
    'invalidSyntax',
    `Unsupported PATCH op ${JSON.stringify(op ?? null)}: use add, replace or remove`
  )
}

/** A blank path is read as no path. */
function pathOf(operation: PatchOperation) {
  const path: unknown = operation.path
  if (path === undefined || path === null) return undefined
  if (typeof path !== 'string') throw ScimError.badRequest('invalidPath', 'A path is a string')
  return path.trim() === '' ? undefined : path
}

function echoesCurrentValue(draft: ResourceDraft, { path, value }: ValueTarget) {
  if (path.filter) return false
  const current = draft.read(path)
  return sameJson(subValue(path, current), value)
}

function subValue(path: AttributePath, current: unknown) {
  return path.subAttribute ? valueOf(current, path.subAttribute.name) : current
}
