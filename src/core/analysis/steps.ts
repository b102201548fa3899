// Long analyses are written as generators that yield between steps. Run synchronously they are
// plain functions (reports, the CLI, tests); run by the host they give way between steps, so a
// seconds-long analysis of a big run does not hold up the timeline's and charts' requests, which
// the core answers on the same thread.

export type Steps<T> = Generator<void, T, void>

export function drain<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

/** Runs the steps, letting pending I/O (other requests) in between them. */
export async function drainYielding<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}
