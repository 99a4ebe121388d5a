import type { ScimAttribute } from '#scim/schemas/attribute'
import { ScimError } from '#scim/scim_error'
import { holdsValues } from '#scim/patch/scim_equality'
import { settlePrimary } from '#scim/patch/primary_value'
import { incomingElements, incomingSubAttributes } from '#scim/patch/incoming_value'
import { mergeSubAttributes, setSubAttribute } from '#scim/patch/complex_value'
import { isJsonObject, isUnassigned, valueOf, withValue } from '#scim/patch/json_value'
import type { ValueFilter } from '#scim/patch/value_filter'
import type { AttributeRef, ResourceDraft } from '#scim/patch/resource_draft'

/*
 * Writes to the values of a multi-valued attribute. Each one hands
 * `settlePrimary` the values it wrote, so a value it made primary keeps the
 * flag and the others lose it.
 */

/**
 * Adds values (RFC 7644 section 3.5.2.1). A given value that matches an
 * existing one on every sub-attribute it states, `primary` aside, is that
 * value: nothing is appended, and the `primary` it carries is applied to it.
 * So re-adding a member, or re-adding an email marked primary, duplicates
 * nothing.
 */
export function appendValues(draft: ResourceDraft, ref: AttributeRef, value: unknown) {
  const { attribute } = ref
  const elements = currentElements(draft, ref)
  const touched: unknown[] = []
  for (const given of incomingElements(attribute, value)) {
    const index = elements.findIndex((element) =>
      holdsValues(attribute, element, given, ['primary'])
    )
    if (index === -1) {
      elements.push(given)
      touched.push(given)
      continue
    }
    // Only a `primary` the client stated makes the value a contender for the flag.
    const primary = valueOf(given, 'primary')
    if (primary === undefined) continue
    elements[index] = withPrimary(elements[index], primary)
    touched.push(elements[index])
  }
  draft.write(ref, settlePrimary(attribute, elements, touched))
}

/** Replaces all values with those given (RFC 7644 section 3.5.2.3, no filter). */
export function replaceValues(draft: ResourceDraft, ref: AttributeRef, value: unknown) {
  const elements = incomingElements(ref.attribute, value)
  draft.write(ref, settlePrimary(ref.attribute, elements, elements))
}

/**
 * Replaces the values the filter selects (RFC 7644 section 3.5.2.3): a
 * complex value takes the given sub-attributes, the others stay. No match
 * is a noTarget, as the RFC prescribes.
 */
export function replaceMatchingValues(
  draft: ResourceDraft,
  ref: AttributeRef,
  filter: ValueFilter,
  value: unknown
) {
  const { attribute } = ref
  const touched: unknown[] = []
  const elements = currentElements(draft, ref).map((element) => {
    if (!filter.matches(element)) return element
    const replaced =
      attribute.type === 'complex'
        ? mergeSubAttributes(attribute, element, incomingSubAttributes(attribute, value))
        : value
    touched.push(replaced)
    return replaced
  })
  if (touched.length === 0) throw noTarget(attribute)
  draft.write(ref, settlePrimary(attribute, assigned(elements), touched))
}

/**
 * Sets one sub-attribute of the values the filter selects
 * (`addresses[type eq "work"].streetAddress`), for add as for replace.
 *
 * When nothing matches, RFC 7644 section 3.5.2.3 says noTarget. Entra,
 * though, sends `{"op":"Replace"|"Add","path":"emails[type eq \"work\"].value",
 * "value":"x@y"}` for a user without a work email and expects the email to
 * be created (its validator checks for it; RFC 7644 errata 8097 discusses
 * it). So when the filter is only `eq` comparisons joined by `and`, the
 * value they describe is added, with the sub-attribute set. Other filters
 * keep the RFC's noTarget.
 */
export function setSubValueOfMatches(
  draft: ResourceDraft,
  ref: AttributeRef,
  filter: ValueFilter,
  subAttribute: ScimAttribute,
  value: unknown
) {
  const { attribute } = ref
  const touched: unknown[] = []
  const elements = currentElements(draft, ref).map((element) => {
    if (!filter.matches(element)) return element
    const changed = setSubAttribute(subAttribute, element, value)
    touched.push(changed)
    return changed
  })
  if (touched.length === 0) {
    // Unassigning a sub-attribute of nothing leaves nothing to do.
    if (isUnassigned(value)) return
    const described = filter.describedElement()
    if (!described) throw noTarget(attribute)
    const created = withValue(described, subAttribute.name, value)
    elements.push(created)
    touched.push(created)
  }
  draft.write(ref, settlePrimary(attribute, assigned(elements), touched))
}

/** Removes the values the filter selects; selecting none removes nothing (see `removeAt`). */
export function removeMatchingValues(draft: ResourceDraft, ref: AttributeRef, filter: ValueFilter) {
  draft.write(
    ref,
    currentElements(draft, ref).filter((element) => !filter.matches(element))
  )
}

/** Removes one sub-attribute of the values the filter selects; a value left empty goes too. */
export function removeSubValueOfMatches(
  draft: ResourceDraft,
  ref: AttributeRef,
  filter: ValueFilter,
  subAttribute: ScimAttribute
) {
  const elements = currentElements(draft, ref).map((element) =>
    filter.matches(element) ? setSubAttribute(subAttribute, element, undefined) : element
  )
  draft.write(ref, assigned(elements))
}

/**
 * Removes the values equal to those given. Not in RFC 7644, which has
 * remove take no value, but Entra removes members with
 * `{"op":"Remove","path":"members","value":[{"value":"<id>"}]}` and means
 * those members only, not the whole attribute. A given value equals an
 * existing one when every sub-attribute it states matches (readOnly ones
 * aside), so `{ value: id }` compares by `value`; an empty array removes
 * nothing.
 */
export function removeGivenValues(draft: ResourceDraft, ref: AttributeRef, value: unknown) {
  const given = incomingElements(ref.attribute, value)
  const remaining = currentElements(draft, ref).filter(
    (element) => !given.some((removed) => holdsValues(ref.attribute, element, removed))
  )
  draft.write(ref, remaining)
}

function currentElements(draft: ResourceDraft, ref: AttributeRef): unknown[] {
  const current = draft.read(ref)
  if (Array.isArray(current)) return [...current]
  return isUnassigned(current) ? [] : [current]
}

function assigned(elements: unknown[]) {
  return elements.filter((element) => !isUnassigned(element))
}

function withPrimary(element: unknown, primary: unknown) {
  return isJsonObject(element) ? withValue(element, 'primary', primary) : element
}

function noTarget(attribute: ScimAttribute) {
  return ScimError.badRequest('noTarget', `No value of ${attribute.name} matches the filter`)
}
