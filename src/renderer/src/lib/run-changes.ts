import type { RunSummary } from '../../../shared/dto'

// How the runs library follows `runs.changed` (stores/runs.ts). A running host announces every
// import, and its tail imports a live session every few writes: fetching the whole list again
// each time moved ~2 MB of JSON per announcement with 3,824 runs stored, on the host that was
// busy importing. Only the runs named are fetched again; an announcement that names none
// (external writes, repricing) or too many fetches the list.

/** Above this many runs named at once, the whole list is fetched again instead (one query either way). */
export const MAX_NAMED_RUNS = 500

/** What to fetch next: the whole list, or the runs named since the last fetch. */
export type Pending = { all: true } | { all: false; ids: Set<string> }

/**
 * Runs fetches one at a time, in the order asked, and folds what arrives while one is under way
 * into the next: two fetches never overlap, so an older answer never lands after a newer one.
 */
export class ChangeQueue {
  private pending: Pending | null = null
  private running: Promise<void> | null = null

  constructor(private readonly fetch: (what: Pending) => Promise<void>) {}

  /** Runs named by one announcement; none means any run may have changed. Resolves once fetched. */
  changed(runIds: readonly string[]): Promise<void> {
    const p = this.pending
    if (runIds.length === 0 || p?.all) this.pending = { all: true }
    else {
      const ids = p ? p.ids : new Set<string>()
      for (const id of runIds) ids.add(id)
      this.pending = ids.size > MAX_NAMED_RUNS ? { all: true } : { all: false, ids }
    }
    return this.start()
  }

  /** The whole list, after whatever is under way. */
  all(): Promise<void> {
    return this.changed([])
  }

  private start(): Promise<void> {
    this.running ??= (async () => {
      try {
        while (this.pending) {
          const next = this.pending
          this.pending = null
          await this.fetch(next)
        }
      } finally {
        this.running = null
      }
    })()
    return this.running
  }
}

/**
 * The list after fetching `asked` again: each asked run replaced by its new summary in place,
 * dropped where it is no longer stored, and added at the end where it is new.
 */
export function mergeRuns(runs: readonly RunSummary[], asked: Iterable<string>, fetched: readonly RunSummary[]): RunSummary[] {
  const askedIds = new Set(asked)
  const fresh = new Map(fetched.map((r) => [r.id, r]))
  const out: RunSummary[] = []
  for (const r of runs) {
    if (!askedIds.has(r.id)) out.push(r)
    else {
      const now = fresh.get(r.id)
      if (now) out.push(now)
      fresh.delete(r.id)
    }
  }
  for (const r of fresh.values()) out.push(r)
  return out
}
