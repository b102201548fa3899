import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { migrate } from '../../src/core/store/migrate'
import { migrations } from '../../src/core/store/migrations'
import { openStore } from '../../src/core/store/open'
import { tempDb } from '../helpers/temp'

describe('migrations', () => {
  it('runs the whole chain on a real file, in WAL mode, and is a no-op the second time', () => {
    const path = tempDb()
    const store = openStore({ path })
    expect(store.write.pragma('journal_mode', { simple: true })).toBe('wal')
    const applied = store.write.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all()
    expect(applied).toEqual(migrations.map((m) => ({ id: m.id, name: m.name })))
    store.close()
    const again = openStore({ path })
    expect(again.write.prepare('SELECT COUNT(*) n FROM schema_migrations').get()).toEqual({ n: migrations.length })
    again.close()
  })

  it('are numbered 1..N in order', () => {
    expect(migrations.map((m) => m.id)).toEqual(migrations.map((_, i) => i + 1))
    for (const m of migrations) expect(m.name.startsWith(String(m.id).padStart(4, '0') + '_')).toBe(true)
  })

  it('refuses to start on a database whose applied migration was edited afterwards', () => {
    const path = tempDb()
    openStore({ path }).close()
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, sql: m.sql + '\n-- edited' } : m))
    const db = new Database(path)
    expect(() => migrate(db, edited)).toThrow(/0001_initial was edited after it was applied/)
    db.close()
  })

  it('refuses a database written by a newer version', () => {
    const path = tempDb()
    openStore({ path }).close()
    const db = new Database(path)
    db.prepare('INSERT INTO schema_migrations VALUES (99, ?, ?, 0)').run('0099_future', 'x')
    expect(() => migrate(db, migrations)).toThrow(/newer Swarmscope/)
    db.close()
  })

  it('never drops or renames a column or table (destructive changes need a new design, not a migration)', () => {
    for (const m of migrations) {
      expect(m.sql, m.name).not.toMatch(/\bDROP\s+(TABLE|COLUMN)\b|\bRENAME\s+(COLUMN|TO)\b/i)
    }
  })

  it('reports the schema version through the contract', async () => {
    const core = createCore({ path: tempDb() })
    const h = await core.call('system.health', {})
    expect(h.ok && h.data.schemaVersion).toBe(migrations.length)
    core.close()
  })

  describe('while another connection writes to the store', () => {
    /** A store one migration behind, and a connection holding its write lock (as another process's import would). */
    function behindAndLocked() {
      const path = tempDb()
      const holder = new Database(path)
      holder.pragma('journal_mode = WAL')
      migrate(holder, migrations.slice(0, -1))
      holder.exec('BEGIN IMMEDIATE')
      return { path, holder }
    }
    /** SWARMSCOPE_STORE_WAIT=0 for `fn`: wait not at all rather than 5 s. */
    function noWait<T>(fn: () => T): T {
      const before = process.env.SWARMSCOPE_STORE_WAIT
      process.env.SWARMSCOPE_STORE_WAIT = '0'
      try {
        return fn()
      } finally {
        if (before === undefined) delete process.env.SWARMSCOPE_STORE_WAIT
        else process.env.SWARMSCOPE_STORE_WAIT = before
      }
    }

    it('an upgrade is refused with the store and the migration named, and made once the store is free', () => {
      const { path, holder } = behindAndLocked()
      const last = migrations[migrations.length - 1]
      try {
        // Before: SQLite's own "database is locked", naming neither the file nor what to do.
        expect(() => noWait(() => openStore({ path }))).toThrow(
          expect.objectContaining({ code: 'conflict', message: expect.stringContaining(`the store ${path} needs upgrading for this version of Swarmscope (migration ${last.name})`) }),
        )
        expect(holder.prepare('SELECT MAX(id) FROM schema_migrations').pluck().get()).toBe(last.id - 1)
      } finally {
        holder.exec('COMMIT')
      }
      const store = openStore({ path })
      expect(store.write.prepare('SELECT MAX(id) FROM schema_migrations').pluck().get()).toBe(last.id)
      store.close()
      holder.close()
    })

    it('a pending repricing waits for a later opening instead of failing this one', async () => {
      const path = tempDb()
      openStore({ path }).close()
      const holder = new Database(path)
      holder.prepare("INSERT OR IGNORE INTO pending_reprice (reason, added_at) VALUES ('exact-model-match', 0)").run()
      expect(holder.prepare('SELECT COUNT(*) FROM pending_reprice').pluck().get()).toBe(1)
      holder.exec('BEGIN IMMEDIATE')
      try {
        // Before: createCore threw "database is locked" after 5 s, and no command could run.
        const core = noWait(() => createCore({ path }))
        const h = await core.call('system.health', {})
        expect(h.ok).toBe(true)
        core.close()
        expect(holder.prepare('SELECT COUNT(*) FROM pending_reprice').pluck().get()).toBe(1)
      } finally {
        holder.exec('COMMIT')
      }
      createCore({ path }).close()
      expect(holder.prepare('SELECT COUNT(*) FROM pending_reprice').pluck().get()).toBe(0)
      holder.close()
    })
  })
})
