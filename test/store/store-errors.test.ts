import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createCoreOnStore } from '../../src/core/core'
import { openStore } from '../../src/core/store/open'
import { generateLongSession } from '../../bench/corpus/claude-code'
import { FIXTURES, SHOWCASE_MAIN, SIDECHAIN } from '../helpers/transcript-facts'
import { tempDir } from '../helpers/temp'
import { cliAs, isRoot, nobodyCanRun } from '../helpers/cli-as'

// A store that cannot be used as it stands (not a database, another program's database, damaged,
// read-only for this user, its disk full) is refused with what is wrong with which file and what
// to do, and what it held is left as it was. SQLite's own words named neither.

const HIVE_PROJECT = `${FIXTURES}claude-flow/v2.7_swarm-tickets`
const V2_MEMORY_DB = `${FIXTURES}claude-flow/v2_emoji-monogram/.swarm/memory.db`

const cli = cliAs
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex')

/** A store holding the two real transcripts' runs, made by the CLI. */
function storeWithRuns(dir: string): string {
  const db = join(dir, 's.db')
  expect(cli(['--db', db, 'import', SHOWCASE_MAIN, SIDECHAIN]).code).toBe(0)
  return db
}
const runIds = (db: string) => (JSON.parse(cli(['--db', db, 'runs', '--json']).stdout) as { id: string }[]).map((r) => r.id).sort()

describe('a store that cannot be used as it stands', () => {
  it('a file that is not a database is named as such, for every command and in doctor, and left as it was', () => {
    const dir = tempDir()
    const path = join(dir, 'notes.db')
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200))
    const before = sha(path)
    const r = cli(['--db', path, 'runs'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${path} is not a Swarmscope store: it is not an SQLite database`)
    expect(r.stderr).not.toContain('file is not a database')
    const doctor = cli(['--db', path, 'doctor', '--json'])
    expect(doctor.code).toBe(1)
    const check = (JSON.parse(doctor.stdout) as { checks: { name: string; status: string; detail: string; fix?: string }[] }).checks.find((c) => c.name === 'store')!
    expect(check.status).toBe('error')
    expect(check.detail).toContain('is not a Swarmscope store')
    expect(check.fix).toMatch(/^Point --db/)
    expect(sha(path)).toBe(before)
  })

  it("another program's SQLite database (claude-flow's memory.db given as --db) is refused before anything is written to it", () => {
    const dir = tempDir()
    const path = join(dir, 'memory.db')
    copyFileSync(V2_MEMORY_DB, path)
    const before = sha(path)
    const r = cli(['--db', path, 'import', SIDECHAIN])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${path} is another program's SQLite database (tables memory_entries), not a Swarmscope store: it was left as it is`)
    // Before: it was given a schema_migrations table (and set to WAL), then failed on "table events already exists".
    expect(sha(path)).toBe(before)
    const db = new Database(path, { readonly: true })
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'schema_migrations'`).get()).toBeUndefined()
    db.close()
  })

  it('a damaged store is named with what SQLite found, by the command that meets it and by doctor', () => {
    const dir = tempDir()
    const path = storeWithRuns(dir)
    // Overwrite the first page of the runs table: its B-tree page header no longer parses.
    const page = (() => {
      const db = new Database(path, { readonly: true })
      const p = db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'runs'`).pluck().get() as number
      const size = db.pragma('page_size', { simple: true }) as number
      db.close()
      return { offset: (p - 1) * size, size }
    })()
    const bytes = readFileSync(path)
    bytes.fill(0xff, page.offset, page.offset + 16)
    writeFileSync(path, bytes)
    const r = cli(['--db', path, 'runs'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`the store ${path} is damaged (`)
    expect(r.stderr).toContain('.recover')
    const doctor = JSON.parse(cli(['--db', path, 'doctor', '--json']).stdout) as { checks: { name: string; status: string; detail: string }[] }
    const check = doctor.checks.find((c) => c.name === 'store')!
    expect(check.status).toBe('error')
    expect(check.detail).toContain(`the store ${path} is damaged (`)
  })

  it.skipIf(!nobodyCanRun)('a store this user may not write (left by `sudo swarmscope import`) says whose it is; an import stores nothing and loses nothing', () => {
    const dir = tempDir()
    chmodSync(dir, 0o755)
    const path = storeWithRuns(dir)
    const stored = runIds(path)
    expect(stored.length).toBe(2)
    // As root the store stays root's and nobody runs the CLI; otherwise the store is made read-only.
    chmodSync(path, isRoot ? 0o644 : 0o444)
    const r = cli(['--db', path, 'import', SHOWCASE_MAIN, '--json'], { asUser: true })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`the store ${path} is read-only for this user (owned by ${isRoot ? 'user id 0' : 'you'}`)
    expect(r.stderr).toContain('Give it back to yourself (chown)')
    expect(r.stderr).not.toContain('attempt to write a readonly database')
    const doctor = JSON.parse(cli(['--db', path, 'doctor', '--json'], { asUser: true }).stdout) as { checks: { name: string; status: string; detail: string }[] }
    expect(doctor.checks.find((c) => c.name === 'store')).toMatchObject({ status: 'error', detail: expect.stringContaining('is read-only for this user') })
    chmodSync(path, 0o644)
    expect(runIds(path)).toEqual(stored)
  })

  it('doctor says how many runs a healthy store holds, its schema, that it is whole, and the room left on its disk', () => {
    const path = storeWithRuns(tempDir())
    const doctor = JSON.parse(cli(['--db', path, 'doctor', '--json']).stdout) as { checks: { name: string; status: string; detail: string }[] }
    const check = doctor.checks.find((c) => c.name === 'store')!
    expect(check.detail).toMatch(new RegExp(`^${path}: 2 runs, [\\d.]+ (B|kB|MB), schema \\d+, integrity ok`))
    expect(['ok', 'warn']).toContain(check.status)
  })
})

describe('a store that runs out of room (SQLite refusing to grow it, in process)', () => {
  /** The store with room for `pages` more pages (SQLite's own limit: the same SQLITE_FULL a full disk gives). */
  function limited(path: string, pages: number) {
    const store = openStore({ path })
    const core = createCoreOnStore(store)
    return { store, core, limit: () => store.write.pragma(`max_page_count = ${(store.write.pragma('page_count', { simple: true }) as number) + pages}`) }
  }

  it('an import that does not fit fails whole, saying so, and the runs stored before are as they were', async () => {
    const dir = tempDir()
    const big = generateLongSession(join(dir, 'big'), 3 * 1024 * 1024)
    const { store, core, limit } = limited(join(dir, 's.db'), 0)
    try {
      expect((await core.call('import.paths', { paths: [SHOWCASE_MAIN] })).ok).toBe(true)
      const before = store.read.prepare('SELECT id, spans, input_tokens FROM runs ORDER BY id').all()
      limit()
      const r = await core.call('import.paths', { paths: [big.file, SIDECHAIN] })
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.error.code).toBe('io_error')
      expect(r.error.message).toContain(`the disk holding the store ${store.path} is full`)
      expect(r.error.message).toContain('Nothing of this import was stored, and what the store held before is as it was.')
      expect(store.read.prepare('SELECT id, spans, input_tokens FROM runs ORDER BY id').all()).toEqual(before)
      // Given room again, the same import goes through.
      store.write.pragma('max_page_count = 4294967294')
      expect((await core.call('import.paths', { paths: [big.file, SIDECHAIN] })).ok).toBe(true)
    } finally {
      core.close()
    }
  })

  it('a claude-flow project met while the store is full fails the import whole, naming the store', async () => {
    const dir = tempDir()
    const { store, core, limit } = limited(join(dir, 's.db'), 0)
    try {
      limit()
      const r = await core.call('import.paths', { paths: [HIVE_PROJECT] })
      // The databases' rows are written while they are read: a write refused there is the store's failure, not an unreadable database.
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.error.message).toContain(`the disk holding the store ${store.path} is full`)
      expect(store.read.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0)
    } finally {
      core.close()
    }
  })
})
