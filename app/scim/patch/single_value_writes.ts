import type { ScimAttribute } from '#scim/schemas/attribute'
import { assertImmutableKept } from '#scim/patch/mutability'
import { incomingSubAttributes } from '#scim/patch/incoming_value'
import { mergeSubAttributes, setSubAttribute } from '#scim/patch/complex_value'
import type { AttributeRef, ResourceDraft } from '#scim/patch/resource_draft'

/*
 * Writes to a single-valued attribute, or to the whole of a multi-valued
 * one, as add, replace and remove share them.
 */

/** Sets (or, with an unassigned value, removes) the attribute. */
export function setValue(draft: ResourceDraft, ref: AttributeRef, value: unknown) {
  assertImmutableKept(ref.attribute, draft.read(ref), value)
  draft.write(ref, value)
}

/** Sets the sub-attributes given for a single-valued complex attribute, leaving the others. */
export function mergeValue(draft: ResourceDraft, ref: AttributeRef, value: unknown) {
  const given = incomingSubAttributes(ref.attribute, value)
  draft.write(ref, mergeSubAttributes(ref.attribute, draft.read(ref), given))
}

/** Sets (or removes) one sub-attribute of a single-valued complex attribute (`name.givenName`). */
export function setSubValue(
  draft: ResourceDraft,
  ref: AttributeRef,
  subAttribute: ScimAttribute,
  value: unknown
) {
  draft.write(ref, setSubAttribute(subAttribute, draft.read(ref), value))
}
