/**
 * Serialises work on the write connection. An import holds one transaction across many
 * awaits; a rename arriving meanwhile must wait for it rather than slip into it.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(work: () => Promise<T> | T): Promise<T> {
    const next = this.tail.then(work, work)
    this.tail = next.catch(() => undefined)
    return next
  }
}
