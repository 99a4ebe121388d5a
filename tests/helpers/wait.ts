/**
 * Retries `check` until it returns true or `timeoutMs` passes; returns
 * the last result. For changes other processes announce asynchronously.
 */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 2_000) {
  const deadline = Date.now() + timeoutMs
  while (true) {
    if (await check()) {
      return true
    }
    if (Date.now() >= deadline) {
      return false
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
