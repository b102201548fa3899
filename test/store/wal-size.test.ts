import { statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openStore, WAL_KEPT_BYTES } from '../../src/core/store/open'
import { tempDir } from '../helpers/temp'

// SQLite keeps a WAL file at its largest: a running app held as much disk as its largest import
// wrote until it exited. The store's write connection lets it shrink back once checkpointed.

/** One large transaction (~90 MB of WAL), a checkpoint as the idle one makes, then one small write; the WAL's size after each. */
function bigThenSmall(db: Database.Database): { afterBig: number; afterSmall: number } {
  const wal = `${db.name}-wal`
  db.prepare(`INSERT INTO runs (id, source, format, name, created_at, updated_at) VALUES ('r', 'live', 'ndjson', 'r', 0, 0)`).run()
  const span = db.prepare(`INSERT INTO spans (run_id, id, kind, name, start_ms, attrs) VALUES ('r', ?, 'tool', 'Read', ?, ?)`)
  const pad = JSON.stringify({ pad: 'x'.repeat(3500) })
  db.transaction(() => {
    for (let i = 0; i < 24_000; i++) span.run(`s${i}`, i, pad)
  })()
  const afterBig = statSync(wal).size
  db.pragma('wal_checkpoint(PASSIVE)')
  span.run('one-more', 1, '{}')
  return { afterBig, afterSmall: statSync(wal).size }
}

describe('the WAL after a large import', () => {
  it('shrinks back to 64 MiB at the first commit after a checkpoint', () => {
    const store = openStore({ path: join(tempDir(), 's.db') })
    try {
      const { afterBig, afterSmall } = bigThenSmall(store.write)
      expect(afterBig).toBeGreaterThan(WAL_KEPT_BYTES + 16 * 1024 * 1024)
      expect(afterSmall).toBeLessThanOrEqual(WAL_KEPT_BYTES)
      expect(store.read.prepare('SELECT COUNT(*) FROM spans').pluck().get()).toBe(24_001)
    } finally {
      store.close()
    }
  }, 60_000)

  it('stays at its largest on a connection without the limit (SQLite\'s default), the behaviour the store changes', () => {
    const path = join(tempDir(), 's.db')
    openStore({ path }).close()
    const db = new Database(path)
    try {
      db.pragma('journal_mode = WAL')
      const { afterBig, afterSmall } = bigThenSmall(db)
      expect(afterSmall).toBe(afterBig)
    } finally {
      db.close()
    }
  }, 60_000)
})
