import { createHash } from 'node:crypto'
import type { Database } from 'better-sqlite3'
import { CoreError } from '../../shared/result'
import { isBusy, writeWhileOpening } from './write-lock'

export interface Migration {
  id: number
  name: string
  sql: string
}

const hashOf = (sql: string) => createHash('sha256').update(sql).digest('hex')

/**
 * Applies pending migrations in order, each in its own transaction. A migration already
 * applied whose text has changed since is refused: silently diverging schemas are worse
 * than a clear start-up error.
 */
export function migrate(db: Database, list: ReadonlyArray<Migration>): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL, applied_at INTEGER NOT NULL)`)
  list.forEach((m, i) => {
    if (m.id !== i + 1) throw new CoreError('internal', `migration ${m.name} is numbered ${m.id}, expected ${i + 1}`)
  })
  const applied = new Map(
    (db.prepare('SELECT id, name, hash FROM schema_migrations').all() as { id: number; name: string; hash: string }[]).map((r) => [r.id, r]),
  )
  for (const row of applied.values()) {
    const known = list.find((m) => m.id === row.id)
    if (!known) {
      throw new CoreError('conflict', `the database was written by a newer Swarmscope (migration ${row.name} is unknown to this version)`)
    }
    if (hashOf(known.sql) !== row.hash) {
      throw new CoreError('conflict', `migration ${row.name} was edited after it was applied to this database; add a new migration instead`)
    }
  }
  const insert = db.prepare('INSERT INTO schema_migrations (id, name, hash, applied_at) VALUES (?, ?, ?, ?)')
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?').pluck()
  for (const m of list) {
    if (applied.has(m.id)) continue
    try {
      // Write-locked from the start, and asked again under the lock: another process opening the
      // same store (two commands started after an upgrade) may have applied it meanwhile, and
      // applying it twice failed with "duplicate column" or "table already exists".
      writeWhileOpening(db, () => {
        if (isApplied.get(m.id)) return
        db.exec(m.sql)
        insert.run(m.id, m.name, hashOf(m.sql), Date.now())
      })
    } catch (e) {
      if (!isBusy(e)) throw e
      throw new CoreError(
        'conflict',
        `the store ${db.name} needs upgrading for this version of Swarmscope (migration ${m.name}), and another process is writing to it (the desktop app, \`swarmscope serve\` or an import): try again when it has finished`,
      )
    }
  }
  return list.length
}
