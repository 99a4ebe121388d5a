/*
 * Output and timing helpers. Every benchmark prints GitHub-flavoured
 * markdown, so its output can be pasted into docs/benchmarks.md as is.
 */

export type Cell = string | number

export function markdownTable(headers: string[], rows: Cell[][]): string {
  const line = (cells: Cell[]) => `| ${cells.map(String).join(' | ')} |`
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n')
}

export function verdict(pass: boolean) {
  return pass ? 'PASS' : 'FAIL'
}

/** Nearest-rank percentile of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) {
    return Number.NaN
  }
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

export function ms(value: number) {
  return `${value.toFixed(value < 10 ? 1 : 0)} ms`
}

/** A duration in ms, shown in seconds from one second up. */
export function seconds(valueMs: number) {
  return valueMs < 1000 ? `${valueMs.toFixed(0)} ms` : `${(valueMs / 1000).toFixed(1)} s`
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  const value = await work()
  return { value, ms: performance.now() - started }
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>
) {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      await work(items[index], index)
    }
  }
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker)
  )
}

/** A markdown header describing the run: what produced these numbers. */
export function runHeader(title: string, details: Record<string, Cell>) {
  const facts = Object.entries(details).map(([key, value]) => `- ${key}: ${value}`)
  return [`## ${title}`, '', ...facts, ''].join('\n')
}
