import type Database from 'better-sqlite3'
import { CoreError } from '../../shared/result'

// A store may be written by several processes at once: the desktop app or `swarmscope serve`
// tailing ~/.claude/projects, a `swarmscope import` in a terminal, a second host. SQLite lets
// one of them write at a time. The store's busy_timeout (5 s) makes a writer wait for the
// other, but it waits inside SQLite, in a blocking sleep: the host answered nothing meanwhile,
// Ctrl-C was not heard, and an import of a large folder (one transaction of several seconds)
// outlasted the timeout, so a second import failed with "database is locked" and a tail's
// import dropped the lines it was reading.
//
// Here the write lock is asked for without SQLite's sleep and, while another process holds
// it, asked again from a timer: the event loop keeps running, the waiter is told how long it
// has waited, and a cancel ends the wait.

/** How long one attempt may wait inside SQLite: a commit of the other process is a few ms. */
const ATTEMPT_MS = 20
const FIRST_PAUSE_MS = 10
const MAX_PAUSE_MS = 250
/** Longer than any import we have measured (a 10 GB folder); past it the other process is taken to be stuck. */
const DEFAULT_MAX_WAIT_MS = 10 * 60_000

/**
 * How long a write waits for another process: SWARMSCOPE_STORE_WAIT seconds (0: not at all, for
 * scripts that would rather fail at once), else DEFAULT_MAX_WAIT_MS.
 */
export function maxStoreWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.SWARMSCOPE_STORE_WAIT
  if (v === undefined || v.trim() === '') return DEFAULT_MAX_WAIT_MS
  const seconds = Number(v)
  if (!Number.isFinite(seconds) || seconds < 0) throw new CoreError('bad_request', `SWARMSCOPE_STORE_WAIT must be a number of seconds, 0 or more (it is "${v}")`)
  return seconds * 1000
}

export interface WriteLockOptions {
  signal?: AbortSignal
  /** Called while waiting (after each failed attempt) with the time waited so far. */
  onWait?: (waitedMs: number) => void
  maxWaitMs?: number
}

/** Whether an error is SQLite's 'another connection holds the lock' (SQLITE_BUSY and its variants). */
export const isBusy = (e: unknown) => typeof (e as { code?: unknown })?.code === 'string' && (e as { code: string }).code.startsWith('SQLITE_BUSY')

/**
 * Begins a write transaction (BEGIN IMMEDIATE), waiting for another process that holds the
 * store's write lock to finish. Throws a CoreError 'cancelled' when `signal` aborts, 'conflict'
 * past `maxWaitMs`.
 */
export async function beginWrite(db: Database.Database, opts: WriteLockOptions = {}): Promise<void> {
  const started = performance.now()
  const maxWaitMs = opts.maxWaitMs ?? maxStoreWaitMs()
  let pause = FIRST_PAUSE_MS
  let waiting = false
  try {
    for (;;) {
      if (opts.signal?.aborted) throw new CoreError('cancelled', 'import cancelled')
      if (tryBegin(db)) return
      const waited = performance.now() - started
      if (waited >= maxWaitMs) {
        const still = waited >= 1000 ? `, still after ${Math.round(waited / 1000)} s` : ''
        throw new CoreError('conflict', `the store ${db.name} is being written by another process (another Swarmscope import, the desktop app or \`swarmscope serve\`)${still}; try again when it has finished, or let writes wait longer with SWARMSCOPE_STORE_WAIT=<seconds>`)
      }
      if (!waiting) {
        waiting = true
        waiters.set(db, (waiters.get(db) ?? 0) + 1)
      }
      opts.onWait?.(waited)
      await sleep(pause, opts.signal)
      pause = Math.min(MAX_PAUSE_MS, pause * 2)
    }
  } finally {
    if (waiting) waiters.set(db, (waiters.get(db) ?? 1) - 1)
  }
}

/** How long a write made while the store is being opened waits for another process (see writeWhileOpening). */
const OPENING_WAIT_MS = 5000

/**
 * Runs `fn` in a transaction write-locked from its start (BEGIN IMMEDIATE), for the few writes
 * made while a store is being opened (a schema upgrade, a one-time repricing). Nothing else of
 * the process runs yet, so it waits inside SQLite, but briefly: 5 s, or less when
 * SWARMSCOPE_STORE_WAIT says so (0: not at all). Throws SQLite's busy error past that.
 */
export function writeWhileOpening<T>(db: Database.Database, fn: () => T): T {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number
  db.exec(`PRAGMA busy_timeout = ${Math.min(OPENING_WAIT_MS, maxStoreWaitMs())}`)
  try {
    return db.transaction(fn).immediate()
  } finally {
    db.exec(`PRAGMA busy_timeout = ${timeout}`)
  }
}

/** Writes of this process now waiting for another process's write lock, per connection. */
const waiters = new WeakMap<Database.Database, number>()

/** Whether a write of this process is waiting for another process that holds the store (live health shows it). */
export const waitingForOtherProcess = (db: Database.Database) => (waiters.get(db) ?? 0) > 0

/**
 * Resolves once no other process holds the store's write lock (taken and given back at once):
 * work started right after finds it free, short of a race that SQLite's busy timeout covers.
 */
export async function untilWritable(db: Database.Database, opts: WriteLockOptions = {}): Promise<void> {
  if (!db.open || db.inTransaction) return
  await beginWrite(db, opts)
  db.exec('ROLLBACK')
}

/** One attempt with SQLite's own wait cut to ATTEMPT_MS; false when another process holds the lock. */
function tryBegin(db: Database.Database): boolean {
  // Every write of the core comes through here (write-queue.ts): the connection's own timeout is
  // read once, and set with exec (pragma() prepares a statement each time: ~17 µs a write).
  let timeout = busyTimeouts.get(db)
  if (timeout === undefined) busyTimeouts.set(db, (timeout = db.pragma('busy_timeout', { simple: true }) as number))
  db.exec(`PRAGMA busy_timeout = ${ATTEMPT_MS}`)
  try {
    db.exec('BEGIN IMMEDIATE')
    return true
  } catch (e) {
    if (isBusy(e)) return false
    throw e
  } finally {
    db.exec(`PRAGMA busy_timeout = ${timeout}`)
  }
}
const busyTimeouts = new WeakMap<Database.Database, number>()

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}
