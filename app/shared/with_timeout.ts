/**
 * Runs `work` for at most `ms`: past that, its signal is aborted and the
 * returned promise rejects with `timedOut()`. The work itself is not
 * stopped (JavaScript cannot): it should pass the signal on or check it.
 */
export async function withTimeout<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
  timedOut: () => Error = () => new Error(`timed out after ${ms} ms`)
): Promise<T> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = timedOut()
      controller.abort(error)
      reject(error)
    }, ms)
  })
  try {
    return await Promise.race([work(controller.signal), timeout])
  } finally {
    clearTimeout(timer)
  }
}
