/** `<@42>` mentions member 42 (clients render it as their name). */
const MENTION = /<@(\d{1,15})>/g

/**
 * Member ids a text mentions as `<@id>`, each once, in ascending order.
 * Comments and chat messages share the syntax, so a client renders both
 * the same way; each module decides who among them may be mentioned.
 */
export function mentionedIds(text: string): number[] {
  const ids = new Set([...text.matchAll(MENTION)].map((match) => Number(match[1])))
  return [...ids].sort((a, b) => a - b)
}
