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
})
