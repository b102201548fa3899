import type Database from 'better-sqlite3'

/**
 * Moves WAL checkpoints off the commit. SQLite's automatic checkpoint runs inside the COMMIT
 * that crosses 1,000 WAL pages, so the import that a user waits for also copies its pages into
 * the database file: for an incremental import touching 1,500 runs of a 1 GB store that was
 * ~290 ms of a ~400 ms COMMIT. Here the write connection checkpoints once it has been quiet for
 * `quietMs`, or after `maxDirtyMs` of uninterrupted writing (so a busy live ingest still keeps
 * the WAL bounded). A process that exits checkpoints on close as before.
 */
export function checkpointWhenIdle(db: Database.Database, opts: { tickMs?: number; quietMs?: number; maxDirtyMs?: number } = {}): { stop(): void } {
  const tickMs = opts.tickMs ?? 250
  const quietMs = opts.quietMs ?? 500
  const maxDirtyMs = opts.maxDirtyMs ?? 5000
  db.pragma('wal_autocheckpoint = 0')
  const changes = db.prepare('SELECT total_changes()').pluck()
  let last = changes.get()
  // Dirty from the start: opening may have written (migrations) before this watched. Those
  // pages left in the WAL would also keep a WAL truncated after a full disk from shrinking
  // (copying them back needs room the failed write took; store-errors.ts).
  let dirtySince: number | null = Date.now()
  let lastWrite = 0
  const timer = setInterval(() => {
    try {
      const now = Date.now()
      const total = changes.get()
      if (total !== last) {
        last = total
        lastWrite = now
        dirtySince ??= now
      }
      if (dirtySince === null || db.inTransaction) return
      if (now - lastWrite >= quietMs || now - dirtySince >= maxDirtyMs) {
        db.pragma('wal_checkpoint(PASSIVE)')
        dirtySince = null
      }
    } catch {
      // Closed under us (the core's close stops the timer next), or busy: the next tick tries again.
    }
  }, tickMs)
  timer.unref?.()
  return {
    stop() {
      clearInterval(timer)
      try {
        if (db.open) db.pragma('wal_autocheckpoint = 1000')
      } catch {
        // Closing anyway.
      }
    },
  }
}
