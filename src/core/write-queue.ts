/**
 * Serialises work on the write connection. An import holds one transaction across many
 * awaits; a rename arriving meanwhile must wait for it rather than slip into it.
 *
 * `free` is awaited before each piece of work: it resolves once no other process holds the
 * store's write lock (write-lock.ts), so a rename or a report's cache entry made while an
 * import runs in another process waits without blocking this one, instead of sleeping inside
 * SQLite and failing after its busy timeout.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve()

  /** `failed` sees every error a piece of work ends with, after the work's own clean-up (a rolled-back transaction). */
  constructor(
    private readonly free?: () => Promise<void>,
    private readonly failed?: (e: unknown) => void,
  ) {}

  /** `waitsItself`: the work takes the lock with beginWrite, telling its own waiters (imports, live commits). */
  run<T>(work: () => Promise<T> | T, opts: { waitsItself?: boolean } = {}): Promise<T> {
    const go = async () => {
      if (!opts.waitsItself) await this.free?.()
      try {
        return await work()
      } catch (e) {
        this.failed?.(e)
        throw e
      }
    }
    const next = this.tail.then(go, go)
    this.tail = next.catch(() => undefined)
    return next
  }
}
