import type { ScimAttribute, ScimSchema } from '#scim/schemas/attribute'
import { ScimError } from '#scim/scim_error'
import {
  isJsonObject,
  isUnassigned,
  valueOf,
  withValue,
  type JsonObject,
} from '#scim/patch/json_value'
import type { ScimResourceJson } from '#scim/patch/patch_operation'

/** An attribute and the schema defining it, which says where it lives. */
export interface AttributeRef {
  schema: ScimSchema
  attribute: ScimAttribute
}

/**
 * The resource while a PATCH applies: a private deep copy, so a rejected
 * PATCH leaves the caller's representation untouched. It knows where an
 * attribute lives (the top level for the core schema and the common
 * attributes, an object under the URN for an extension), keeps `schemas`
 * listing exactly the extensions in use, and refuses to unassign a required
 * attribute (RFC 7644 section 3.5.2.2 prescribes scimType mutability).
 */
export class ResourceDraft {
  #json: JsonObject

  constructor(
    resource: ScimResourceJson,
    private readonly core: ScimSchema
  ) {
    this.#json = structuredClone(resource)
  }

  get result(): ScimResourceJson {
    return this.#json
  }

  read({ schema, attribute }: AttributeRef): unknown {
    return valueOf(this.#holder(schema), attribute.name)
  }

  /** Stores the attribute's value under its canonical name; an unassigned value removes it. */
  write({ schema, attribute }: AttributeRef, value: unknown) {
    if (isUnassigned(value)) assertNotRequired(attribute)
    const holder = this.#holder(schema)
    if (!holder && isUnassigned(value)) return
    this.#store(schema, withValue(holder ?? {}, attribute.name, value))
  }

  /** Removes an extension with all its attributes. */
  removeSchema(schema: ScimSchema) {
    if (this.#isCore(schema)) {
      throw ScimError.badRequest('mutability', `The core schema ${schema.id} cannot be removed`)
    }
    schema.attributes.forEach(assertNotRequired)
    this.#store(schema, {})
  }

  #isCore(schema: ScimSchema) {
    return schema.id === this.core.id
  }

  #holder(schema: ScimSchema): JsonObject | undefined {
    if (this.#isCore(schema)) return this.#json
    const extension = valueOf(this.#json, schema.id)
    return isJsonObject(extension) ? extension : undefined
  }

  #store(schema: ScimSchema, holder: JsonObject) {
    if (this.#isCore(schema)) {
      this.#json = holder
      return
    }
    this.#json = withValue(this.#json, schema.id, holder)
    this.#list(schema.id, !isUnassigned(holder))
  }

  /** RFC 7643 section 3: `schemas` names the core schema and each extension the resource uses. */
  #list(id: string, used: boolean) {
    const listed = Array.isArray(this.#json.schemas) ? this.#json.schemas : undefined
    if (!listed && !used) return
    const current = listed ?? [this.core.id]
    const sameId = (urn: unknown) =>
      typeof urn === 'string' && urn.toLowerCase() === id.toLowerCase()
    if (current.some(sameId) === used) return
    const others = current.filter((urn) => !sameId(urn))
    this.#json = withValue(this.#json, 'schemas', used ? [...others, id] : others)
  }
}

function assertNotRequired(attribute: ScimAttribute) {
  if (!attribute.required) return
  throw ScimError.badRequest('mutability', `${attribute.name} is required and cannot be removed`)
}
