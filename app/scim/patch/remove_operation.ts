import { assertNotReadOnly } from '#scim/patch/mutability'
import { setSubValue, setValue } from '#scim/patch/single_value_writes'
import {
  removeGivenValues,
  removeMatchingValues,
  removeSubValueOfMatches,
} from '#scim/patch/multi_value_writes'
import type { AttributePath } from '#scim/patch/patch_path'
import type { ResourceDraft } from '#scim/patch/resource_draft'

/**
 * A "remove" at one attribute path (RFC 7644 section 3.5.2.2).
 *
 * Removing what is already absent succeeds, and so does a filter that
 * matches nothing, although RFC 7644 section 3.12 would allow a noTarget:
 * the client wants the value gone and it is. IdPs retry removals (Entra
 * removes members it already removed), and failing them would fail the
 * rest of the PATCH with them.
 */
export function removeAt(draft: ResourceDraft, path: AttributePath, value: unknown) {
  assertNotReadOnly(path)
  const { attribute, filter, subAttribute } = path
  if (filter && subAttribute) return removeSubValueOfMatches(draft, path, filter, subAttribute)
  if (filter) return removeMatchingValues(draft, path, filter)
  if (subAttribute) return setSubValue(draft, path, subAttribute, undefined)
  if (attribute.multiValued && value !== undefined && value !== null) {
    return removeGivenValues(draft, path, value)
  }
  // A value given with a single-valued path is ignored: remove takes none.
  setValue(draft, path, undefined)
}
