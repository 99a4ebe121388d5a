/**
 * What a resource type offers to SCIM filters and sortBy (RFC 7644
 * sections 3.4.2.2 and 3.4.2.3): which attribute paths exist, their type,
 * their case rule, and the SQL that reads them.
 *
 * The SQL given here is pasted into queries whose values are `?`
 * placeholders, so it must not contain a `?` of its own (no jsonb `?`
 * operators: use `jsonb_exists` or `->>` instead).
 */
export type FilterValueType = 'string' | 'boolean' | 'dateTime' | 'integer' | 'decimal'

/**
 * One value as filters compare it. The SQL is cast to the type before
 * comparing, so it may be text holding the value (a `->>` of a jsonb
 * document): text for strings, a timestamptz or ISO 8601 text for
 * dateTime, numeric text for numbers, a boolean or `true`/`false` text
 * for booleans.
 */
export interface FilterValue {
  type: FilterValueType
  /** RFC 7643 caseExact: false means eq/ne/co/sw/ew/gt.. compare case-insensitively. */
  caseExact: boolean
  /** SQL expression of the value, e.g. `u.full_name` or `s.attributes->'name'->>'givenName'`. */
  sql: string
}

/** A single-valued attribute, read by one SQL expression. */
export interface ScalarFilterAttribute extends FilterValue {
  kind: 'scalar'
  /**
   * SQL for `eq` that the database can answer from indexes, when `sql`
   * cannot (an expression over two joined tables), given the placeholder
   * of the compared value; the value is bound once for each placeholder
   * it contains. Must mean exactly what `eq` on `sql` means.
   */
  equality?: (placeholder: string) => string
}

/** A sub-attribute of the elements of a multi-valued attribute, read in terms of the element's alias. */
export interface FilterSubAttribute {
  type: FilterValueType
  caseExact: boolean
  /** e.g. a => `${a}->>'value'` */
  sql: (alias: string) => string
}

/** A multi-valued attribute (emails, members, groups): a filter on it matches when any element does. */
export interface MultiValuedFilterAttribute {
  kind: 'multi'
  /**
   * SQL FROM item producing one row per element under the given alias, e.g.
   * a => `jsonb_array_elements(coalesce(s.attributes->'emails', '[]')) AS ${a}`
   * or a => `tenant_x.scim_group_members AS ${a}`.
   */
  from: (alias: string) => string
  /** Correlation with the resource row, when `from` does not carry it: a => `${a}.user_id = u.id`. */
  where?: (alias: string) => string
  /** Keyed by sub-attribute name; looked up case-insensitively. */
  subAttributes: Record<string, FilterSubAttribute>
  /**
   * The sub-attribute meant when the attribute is named alone (`emails eq "x"`
   * means `emails.value`, RFC 7644 section 3.4.2.2): usually 'value'.
   */
  defaultSubAttribute: string
}

export type FilterAttribute = ScalarFilterAttribute | MultiValuedFilterAttribute

export interface FilterSchema {
  /** URN of the resource's core schema; a path may be prefixed with it (`urn:...:core:2.0:User:userName`). */
  coreSchema: string
  /**
   * Keyed by attribute path as it appears in filters, looked up
   * case-insensitively (RFC 7643 section 2.1): 'userName',
   * 'name.givenName', 'meta.lastModified', 'emails',
   * 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
   * 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value'.
   */
  attributes: Record<string, FilterAttribute>
}

/**
 * A condition for knex `whereRaw`/`rawQuery`: `?` placeholders in `sql`,
 * their values in order in `bindings`. Meant for a WHERE clause, where a
 * NULL result means "no match" like false does: it may evaluate to NULL
 * when the filter compares an absent value, so wrap it in
 * `coalesce(..., false)` before negating it or selecting it.
 */
export interface SqlFragment {
  sql: string
  bindings: unknown[]
}
