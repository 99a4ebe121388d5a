import { assertNotReadOnly } from '#scim/patch/mutability'
import { mergeValue, setSubValue, setValue } from '#scim/patch/single_value_writes'
import {
  replaceMatchingValues,
  replaceValues,
  setSubValueOfMatches,
} from '#scim/patch/multi_value_writes'
import type { AttributePath } from '#scim/patch/patch_path'
import type { ResourceDraft } from '#scim/patch/resource_draft'

/**
 * A "replace" at one attribute path (RFC 7644 section 3.5.2.3). Replacing
 * an attribute that has no value adds it, as the RFC says; a complex value
 * only has the sub-attributes given replaced.
 */
export function replaceAt(draft: ResourceDraft, path: AttributePath, value: unknown) {
  assertNotReadOnly(path)
  const { attribute, filter, subAttribute } = path
  if (filter && subAttribute) return setSubValueOfMatches(draft, path, filter, subAttribute, value)
  if (filter) return replaceMatchingValues(draft, path, filter, value)
  if (subAttribute) return setSubValue(draft, path, subAttribute, value)
  if (attribute.multiValued) return replaceValues(draft, path, value)
  if (attribute.type === 'complex') return mergeValue(draft, path, value)
  setValue(draft, path, value)
}
