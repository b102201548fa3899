import type { Database, Statement } from 'better-sqlite3'

// Results derived from one run's rows (its analysis, the dashboard's aggregates), kept in memory
// and keyed by the run's version: its stored row, which every write to the run changes (the
// summary columns and updated_at are refreshed in the same transaction as the rows), so a stale
// result is never served and a repeat view costs one primary-key read. A few runs are kept,
// least recently used first out; an analysis of a 100 k-span run is ~1 MB.

const MAX_ENTRIES = 24

interface Entry {
  version: string
  value: unknown
}

const memos = new WeakMap<Database, { versionOf: Statement; entries: Map<string, Entry> }>()

function memoOf(db: Database) {
  let m = memos.get(db)
  if (!m) memos.set(db, (m = { versionOf: db.prepare('SELECT * FROM runs WHERE id = ?').raw(), entries: new Map() }))
  return m
}

/** The run's current version; null for a run that does not exist (nothing is cached for it). */
export function runVersion(db: Database, runId: string): string | null {
  const row = memoOf(db).versionOf.get(runId) as unknown[] | undefined
  return row ? JSON.stringify(row) : null
}

function lookup<T>(db: Database, runId: string, key: string): { version: string | null; hit?: T } {
  const { entries } = memoOf(db)
  const version = runVersion(db, runId)
  const slot = `${runId}\u0000${key}`
  const e = entries.get(slot)
  if (!e || e.version !== version || version === null) return { version }
  // Most recently used last.
  entries.delete(slot)
  entries.set(slot, e)
  return { version, hit: e.value as T }
}

function store(db: Database, runId: string, key: string, version: string, value: unknown): void {
  const { entries } = memoOf(db)
  const slot = `${runId}\u0000${key}`
  entries.delete(slot)
  entries.set(slot, { version, value })
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string)
}

/** `compute()` once per run version and key (the key names the result and its options). */
export function memoByRun<T>(db: Database, runId: string, key: string, compute: () => T): T {
  const { version, hit } = lookup<T>(db, runId, key)
  if (hit !== undefined) return hit
  const value = compute()
  if (version !== null) store(db, runId, key, version, value)
  return value
}

/**
 * The same for work that yields while it runs: the promise itself is kept, so a second request
 * during the computation waits for the first instead of starting again. A failure is forgotten.
 */
export function memoByRunAsync<T>(db: Database, runId: string, key: string, compute: () => Promise<T>): Promise<T> {
  const { version, hit } = lookup<Promise<T>>(db, runId, key)
  if (hit !== undefined) return hit
  const value = compute()
  if (version === null) return value
  store(db, runId, key, version, value)
  value.catch(() => {
    const e = memoOf(db).entries.get(`${runId}\u0000${key}`)
    if (e?.value === value) memoOf(db).entries.delete(`${runId}\u0000${key}`)
  })
  return value
}
