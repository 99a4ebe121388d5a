import { ScimError } from '#scim/scim_error'
import { assertNotReadOnly } from '#scim/patch/mutability'
import { mergeValue, setSubValue, setValue } from '#scim/patch/single_value_writes'
import { appendValues, setSubValueOfMatches } from '#scim/patch/multi_value_writes'
import type { AttributePath } from '#scim/patch/patch_path'
import type { ResourceDraft } from '#scim/patch/resource_draft'

/** An "add" at one attribute path (RFC 7644 section 3.5.2.1). */
export function addAt(draft: ResourceDraft, path: AttributePath, value: unknown) {
  assertNotReadOnly(path)
  const { attribute, filter, subAttribute } = path
  if (filter) {
    // Adding selects nothing: values are appended. The one exception is
    // Entra's `add` to `emails[type eq "work"].value`, treated like replace
    // (see setSubValueOfMatches).
    if (!subAttribute) {
      throw ScimError.badRequest(
        'invalidPath',
        `add appends values to ${attribute.name}: use the path "${attribute.name}" without a filter`
      )
    }
    return setSubValueOfMatches(draft, path, filter, subAttribute, value)
  }
  if (subAttribute) return setSubValue(draft, path, subAttribute, value)
  if (attribute.multiValued) return appendValues(draft, path, value)
  if (attribute.type === 'complex') return mergeValue(draft, path, value)
  setValue(draft, path, value)
}
