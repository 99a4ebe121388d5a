import type { Filter, ValuePath } from 'scim2-parse-filter'
// The package's own tokenizer, the one `parse` runs: see valuePathsWithSubAttr.
import { tokenizer } from 'scim2-parse-filter/lib/src/parser.js'
import { valuePathsInOrder } from '#scim/filters/filter_tree'

/**
 * The value paths written with a subAttr after them, `emails[...].value`
 * (the PATCH path shape of RFC 7644 section 3.5.2, which some identity
 * providers send in filters too). The parser gives
 * `emails[type eq "work"].value eq "x"` and
 * `emails[type eq "work"] and emails.value eq "x"` the same tree, though
 * only the first means one element; the tokens tell them apart. Every
 * `[` opens a value path, and they open in the tree's pre-order.
 */
export function valuePathsWithSubAttr(filterText: string, filter: Filter): Set<ValuePath> {
  const tokens = tokenizer(filterText)
  const followedBySubAttr: boolean[] = []
  const open: number[] = []
  tokens.forEach((token, index) => {
    if (token.type !== 'Bracket') return
    if (token.literal === '[') {
      open.push(followedBySubAttr.length)
      followedBySubAttr.push(false)
    } else if (token.literal.startsWith(']')) {
      const opening = open.pop()
      if (opening !== undefined) {
        followedBySubAttr[opening] = token.literal === '].' && tokens[index + 1]?.type === 'Word'
      }
    }
  })

  const valuePaths = valuePathsInOrder(filter)
  if (valuePaths.length !== followedBySubAttr.length) {
    throw new Error('scim2-parse-filter no longer opens one value path per "["')
  }
  return new Set(valuePaths.filter((_, index) => followedBySubAttr[index]))
}
