/*
 * Token counts are estimated, not measured: no tokenizer ships with the
 * plugin and endpoints (OpenAI, vLLM, Ollama) use different ones. About
 * four characters per token holds for English prose with the common BPE
 * tokenizers; other scripts pack fewer characters per token, which is why
 * budgets keep a margin (see PROMPT_MARGIN_TOKENS in the LLM summarizer).
 */
export const CHARS_PER_TOKEN = 4

export function estimateTokens(text: string) {
  return Math.ceil(text.length / CHARS_PER_TOKEN)
}

/** The text cut to about `tokens` tokens, at a word boundary when one is near. */
export function truncateToTokens(text: string, tokens: number) {
  const limit = tokens * CHARS_PER_TOKEN
  if (text.length <= limit) {
    return text
  }
  const cut = text.slice(0, limit)
  const lastSpace = cut.lastIndexOf(' ')
  return `${lastSpace > limit / 2 ? cut.slice(0, lastSpace) : cut}…`
}

/**
 * Groups lines into chunks of at most `budgetTokens` each, keeping their
 * order and never splitting a line that fits in a chunk by itself (a
 * message stays whole). A longer line is split at word boundaries.
 */
export function chunkLines(lines: string[], budgetTokens: number): string[] {
  if (budgetTokens < 1) {
    throw new RangeError('The token budget of a chunk must be positive')
  }
  const chunks: string[] = []
  let current: string[] = []
  let currentTokens = 0
  for (const line of lines.flatMap((entry) => splitLongLine(entry, budgetTokens))) {
    // +1 for the newline that joins it to the previous line.
    const lineTokens = estimateTokens(line) + (current.length > 0 ? 1 : 0)
    if (currentTokens + lineTokens > budgetTokens && current.length > 0) {
      chunks.push(current.join('\n'))
      current = []
      currentTokens = 0
    }
    current.push(line)
    currentTokens += current.length > 1 ? lineTokens : estimateTokens(line)
  }
  if (current.length > 0) {
    chunks.push(current.join('\n'))
  }
  return chunks
}

function splitLongLine(line: string, budgetTokens: number): string[] {
  const limit = budgetTokens * CHARS_PER_TOKEN
  const pieces: string[] = []
  let rest = line
  while (rest.length > limit) {
    const cut = rest.lastIndexOf(' ', limit)
    const end = cut > 0 ? cut : limit
    pieces.push(rest.slice(0, end))
    rest = rest.slice(end).trimStart()
  }
  pieces.push(rest)
  return pieces
}
