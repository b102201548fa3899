import type Database from 'better-sqlite3'

/**
 * Notices commits made by other processes (a `swarmscope import` while the app is open, a second
 * `serve` on the same file, a hook spool drained elsewhere). SQLite's `PRAGMA data_version`
 * changes on a connection whenever another connection commits; asked on our own write connection
 * (the only one of ours that writes) it therefore moves only for writers outside this core.
 * Polling costs one pragma a second and runs only while someone listens for `runs.changed`.
 */
export function watchExternalWrites(db: Database.Database, onChange: () => void, everyMs = 1000): { stop(): void } {
  const version = db.prepare('PRAGMA data_version').pluck()
  let last = version.get()
  const timer = setInterval(() => {
    let now: unknown
    try {
      now = version.get()
    } catch {
      return // closed under us: the core's close() stops the timer next
    }
    if (now !== last) {
      last = now
      onChange()
    }
  }, everyMs)
  timer.unref?.()
  return { stop: () => clearInterval(timer) }
}
