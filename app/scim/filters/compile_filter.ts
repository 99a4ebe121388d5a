import { parse, type Filter, type LogExp, type ValuePath } from 'scim2-parse-filter'
import {
  elementValue,
  findAttribute,
  findSubAttribute,
  resolveAttributePath,
} from '#scim/filters/attribute_path'
import type {
  FilterSchema,
  MultiValuedFilterAttribute,
  SqlFragment,
} from '#scim/filters/filter_schema'
import { checkLimits, FILTER_LIMITS } from '#scim/filters/filter_limits'
import { comparison } from '#scim/filters/filter_comparison'
import { invalidFilter, isComparison, type Comparison } from '#scim/filters/filter_tree'
import { valuePathsWithSubAttr } from '#scim/filters/value_paths_with_sub_attr'

/**
 * A SCIM filter (RFC 7644 section 3.4.2.2) as a PostgreSQL condition on
 * the rows `schema` describes. Every bad filter is a 400 invalidFilter.
 */
export function compileFilter(filterText: string, schema: FilterSchema): SqlFragment {
  const filter = parseFilter(filterText)
  checkLimits(filter)
  const compiler = new FilterCompiler(schema, valuePathsWithSubAttr(filterText, filter))
  return compiler.compile(filter)
}

/** Inside brackets: names are sub-attributes of the element under `alias`. */
interface ElementScope {
  attribute: MultiValuedFilterAttribute
  alias: string
}

const TRUE: SqlFragment = { sql: 'TRUE', bindings: [] }

class FilterCompiler {
  #aliases = 0

  constructor(
    private readonly schema: FilterSchema,
    private readonly withSubAttr: ReadonlySet<ValuePath>
  ) {}

  compile(filter: Filter, element?: ElementScope): SqlFragment {
    switch (filter.op) {
      case 'and':
      case 'or':
        return this.logical(filter, element)
      case 'not': {
        // A comparison on an absent value is NULL in SQL, and so is its
        // negation; but "not (title eq x)" must match a user without a title.
        const inner = this.compile(filter.filter, element)
        return { sql: `(NOT coalesce(${inner.sql}, false))`, bindings: inner.bindings }
      }
      case '[]':
        if (element) {
          throw invalidFilter(`'${filter.attrPath}[...]' cannot appear inside another [...]`)
        }
        return this.valuePath(filter)
      default:
        return element ? this.elementComparison(filter, element) : this.resourceComparison(filter)
    }
  }

  private logical(filter: LogExp, element?: ElementScope): SqlFragment {
    const rewritten = element ? undefined : this.asOneValuePath(filter)
    if (rewritten) {
      return this.valuePath(rewritten)
    }
    const parts = filter.filters.map((part) => this.compile(part, element))
    return joined(parts, filter.op === 'and' ? ' AND ' : ' OR ')
  }

  /**
   * `emails[type eq "work"].value eq "x"`, which the parser hands back as
   * `emails[type eq "work"] and emails.value eq "x"`, means one element
   * that is both: `emails[type eq "work" and value eq "x"]`.
   */
  private asOneValuePath(filter: LogExp): ValuePath | undefined {
    const [valuePath, subAttrComparison] = filter.filters
    if (
      filter.op !== 'and' ||
      filter.filters.length !== 2 ||
      valuePath.op !== '[]' ||
      !this.withSubAttr.has(valuePath)
    ) {
      return undefined
    }
    const prefix = `${valuePath.attrPath}.`
    if (!isComparison(subAttrComparison) || !subAttrComparison.attrPath.startsWith(prefix)) {
      throw invalidFilter(`'${valuePath.attrPath}[...].' must be followed by one comparison`)
    }
    const onTheElement = {
      ...subAttrComparison,
      attrPath: subAttrComparison.attrPath.slice(prefix.length),
    }
    return {
      op: '[]',
      attrPath: valuePath.attrPath,
      valFilter: { op: 'and', filters: [valuePath.valFilter, onTheElement] },
    }
  }

  private valuePath(filter: ValuePath): SqlFragment {
    const attribute = findAttribute(filter.attrPath, this.schema)
    if (!attribute) {
      throw unknownAttribute(filter.attrPath)
    }
    if (attribute.kind !== 'multi') {
      throw invalidFilter(`'${filter.attrPath}' is not multi-valued, so it takes no [filter]`)
    }
    return this.exists(attribute, (alias) => this.compile(filter.valFilter, { attribute, alias }))
  }

  private elementComparison(filter: Comparison, element: ElementScope): SqlFragment {
    const subAttribute = findSubAttribute(element.attribute, filter.attrPath)
    if (!subAttribute) {
      throw unknownAttribute(filter.attrPath)
    }
    return comparison(elementValue(subAttribute, element.alias), filter)
  }

  /** A comparison outside brackets; on a multi-valued attribute it asks for any element. */
  private resourceComparison(filter: Comparison): SqlFragment {
    const target = resolveAttributePath(filter.attrPath, this.schema)
    if (!target) {
      throw unknownAttribute(filter.attrPath)
    }
    if (target.kind === 'scalar') {
      return comparison(target.attribute, filter)
    }
    const { attribute, subAttribute } = target
    const anyElement = (condition: Comparison) =>
      this.exists(attribute, (alias) => comparison(elementValue(subAttribute, alias), condition))

    if (filter.op === 'eq' && filter.compValue === null) {
      // Unassigned: no element has the value, not "some element lacks it".
      return negated(anyElement({ op: 'pr', attrPath: filter.attrPath }))
    }
    if (filter.op === 'ne' && filter.compValue !== null) {
      // ne matches an unassigned attribute, as it does a single value.
      return joined([anyElement(filter), negated(this.exists(attribute, () => TRUE))], ' OR ')
    }
    return anyElement(filter)
  }

  private exists(
    attribute: MultiValuedFilterAttribute,
    condition: (alias: string) => SqlFragment
  ): SqlFragment {
    // One alias per subquery: none can hide another's, nor a table of the caller's query.
    const alias = `scim_element_${++this.#aliases}`
    const inner = condition(alias)
    const conditions = attribute.where ? [`(${attribute.where(alias)})`, inner.sql] : [inner.sql]
    return {
      sql: `EXISTS (SELECT 1 FROM ${attribute.from(alias)} WHERE ${conditions.join(' AND ')})`,
      bindings: inner.bindings,
    }
  }
}

function parseFilter(filterText: string): Filter {
  if (filterText.length > FILTER_LIMITS.length) {
    throw invalidFilter(`The filter is longer than ${FILTER_LIMITS.length} characters`)
  }
  try {
    return parse(filterText)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw invalidFilter(`The filter could not be parsed: ${reason}`)
  }
}

function joined(parts: SqlFragment[], operator: ' AND ' | ' OR '): SqlFragment {
  return {
    sql: `(${parts.map((part) => part.sql).join(operator)})`,
    bindings: parts.flatMap((part) => part.bindings),
  }
}

/** NOT of a condition that is never NULL (EXISTS, IS NOT NULL). */
function negated(fragment: SqlFragment): SqlFragment {
  return { sql: `(NOT ${fragment.sql})`, bindings: fragment.bindings }
}

function unknownAttribute(path: string) {
  return invalidFilter(`Unknown attribute '${path}'`)
}
