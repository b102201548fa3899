import { copyFileSync, readFileSync, statfsSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { createCoreOnStore } from '../../src/core/core'
import { openStore } from '../../src/core/store/open'
import { BUNDLE_FORMAT_VERSION } from '../../src/core/bundle/format'
import { VERSION } from '../../src/shared/version'
import { CC, SIDECHAIN } from '../helpers/transcript-facts'
import { tempDir } from '../helpers/temp'

// Bundle files written and opened through the core's routes, with real SQLite files on disk.

const cores: Core[] = []
afterEach(() => cores.splice(0).forEach((c) => c.close()))
function core(dir = tempDir()): Core {
  const c = createCore({ path: join(dir, 'swarmscope.db') })
  cores.push(c)
  return c
}
async function data<T>(p: Promise<{ ok: true; data: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.data
}

async function exported(opts: { content?: 'none' | 'full'; includeContent?: boolean } = {}) {
  const src = core()
  const imported = await data(src.call('import.paths', { paths: [CC], content: opts.content }))
  const out = join(tempDir(), 'shared.swarmscope')
  const result = await data(src.call('bundle.export', { runIds: imported.runs.map((r) => r.id), out, includeContent: opts.includeContent }))
  return { src, out, result, ids: imported.runs.map((r) => r.id).sort() }
}

describe('.swarmscope bundles', () => {
  it('write a manifest (format version, created, app version, run ids, checksum) that inspect validates', async () => {
    const { out, result, ids } = await exported()
    expect(result.manifest).toMatchObject({ formatVersion: BUNDLE_FORMAT_VERSION, appVersion: VERSION, includesContent: false })
    expect([...result.manifest.runIds].sort()).toEqual(ids)
    expect(result.manifest.checksum).toMatch(/^[0-9a-f]{64}$/)
    expect(Date.parse(result.manifest.createdAt)).toBeGreaterThan(Date.now() - 60_000)
    expect(result.bytes).toBe(readFileSync(out).length)
    // Nothing about the exporter's files travels: only run-owned tables and the manifest.
    const db = new Database(out, { readonly: true })
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name)
    db.close()
    expect(tables).toContain('manifest')
    expect(tables).toContain('spans')
    expect(tables).not.toContain('imported_files')
    expect(tables).not.toContain('span_content')
    expect(await data(core().call('bundle.inspect', { path: out }))).toEqual(result.manifest)
  })

  it('imports into another store with every run and its spans, and leaves runs already there alone', async () => {
    const { src, out, ids } = await exported()
    const dst = core()
    const changed: string[][] = []
    dst.on('runs.changed', (p) => changed.push(p.runIds))
    const first = await data(dst.call('bundle.import', { path: out }))
    expect(first.runs.map((r) => r.id).sort()).toEqual(ids)
    expect(first.existing).toEqual([])
    expect(changed.flat().sort()).toEqual(ids)
    for (const id of ids) {
      expect(await data(dst.call('runs.get', { id }))).toEqual(await data(src.call('runs.get', { id })))
      expect(await data(dst.call('runs.overview', { id }))).toEqual(await data(src.call('runs.overview', { id })))
    }
    const again = await data(dst.call('bundle.import', { path: out }))
    expect(again.runs).toEqual([])
    expect(again.existing.sort()).toEqual(ids)
  })

  it('carries stored text only when asked to, and otherwise marks the runs as text-free', async () => {
    const without = await exported({ content: 'full' })
    const dst = core()
    const [run] = (await data(dst.call('bundle.import', { path: without.out }))).runs
    expect(run.contentPolicy).toBe('none')
    expect((await data(dst.call('runs.content', { id: run.id }))).items).toEqual([])

    const withText = await exported({ content: 'full', includeContent: true })
    const dst2 = core()
    const imported = await data(dst2.call('bundle.import', { path: withText.out }))
    expect(imported.manifest.includesContent).toBe(true)
    const id = imported.runs[0].id
    const text = await data(withText.src.call('runs.content', { id }))
    expect(text.items.length).toBeGreaterThan(0)
    expect(await data(dst2.call('runs.content', { id }))).toEqual(text)
  })

  it('refuses a newer format version, a damaged file, a non-bundle SQLite file and a file that is not SQLite', async () => {
    const { out } = await exported()
    const dir = tempDir()
    const dst = core()
    const open = async (path: string) => {
      const r = await dst.call('bundle.import', { path })
      if (r.ok) throw new Error(`expected ${path} to be refused`)
      return r.error
    }

    const newer = join(dir, 'newer.swarmscope')
    copyFileSync(out, newer)
    const db = new Database(newer)
    db.prepare('UPDATE manifest SET format_version = ?').run(BUNDLE_FORMAT_VERSION + 1)
    db.close()
    expect(await open(newer)).toEqual({ code: 'unsupported_format', message: expect.stringMatching(/bundle format 2; this version reads format 1 and older\. Update Swarmscope/) })

    const edited = join(dir, 'edited.swarmscope')
    copyFileSync(out, edited)
    const e = new Database(edited)
    e.prepare('UPDATE spans SET input_tokens = input_tokens + 1 WHERE rowid IN (SELECT rowid FROM spans WHERE input_tokens IS NOT NULL LIMIT 1)').run()
    e.close()
    expect((await open(edited)).message).toMatch(/is damaged \(its contents do not match the checksum/)

    const truncated = join(dir, 'truncated.swarmscope')
    const bytes = readFileSync(out)
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)))
    expect((await open(truncated)).message).toMatch(/is damaged/)

    const garbled = join(dir, 'garbled.swarmscope')
    const copy = Buffer.from(bytes)
    for (let i = 4096; i < copy.length; i += 97) copy[i] ^= 0xff
    writeFileSync(garbled, copy)
    expect((await open(garbled)).message).toMatch(/is damaged/)

    const plainDb = join(dir, 'other.swarmscope')
    const other = new Database(plainDb)
    other.exec('CREATE TABLE t (x)')
    other.close()
    expect((await open(plainDb)).message).toBe(`${plainDb} is not a Swarmscope bundle: it is a SQLite database without a Swarmscope manifest`)

    const text = join(dir, 'notes.swarmscope')
    writeFileSync(text, 'just some text, definitely longer than a SQLite header would be................................')
    expect((await open(text)).message).toBe(`${text} is not a Swarmscope bundle: it is not a SQLite file`)

    expect(await open(join(dir, 'missing.swarmscope'))).toMatchObject({ code: 'not_found' })
    // Nothing half-imported along the way.
    expect(await data(dst.call('runs.list', {}))).toEqual([])
  })

  it('leaves local bookkeeping that points at runs behind (a cache table with a foreign key elsewhere)', async () => {
    // The same extra tables in both stores, as a later migration would add them.
    const plant = (dbPath: string) => {
      const db = new Database(dbPath)
      db.exec(`CREATE TABLE x_cache (key TEXT PRIMARY KEY);
        CREATE TABLE x_cache_runs (key TEXT NOT NULL REFERENCES x_cache(key), run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE);
        CREATE TABLE x_notes (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, note TEXT NOT NULL)`)
      return db
    }
    const src = core()
    const [run] = (await data(src.call('import.paths', { paths: [SIDECHAIN] }))).runs
    const s = plant(src.dbPath)
    s.prepare("INSERT INTO x_cache VALUES ('k1')").run()
    s.prepare("INSERT INTO x_cache_runs VALUES ('k1', ?)").run(run.id)
    s.prepare("INSERT INTO x_notes VALUES (?, 'slow on Mondays')").run(run.id)
    s.close()
    const out = join(tempDir(), 'notes.swarmscope')
    await data(src.call('bundle.export', { runIds: [run.id], out }))
    const dst = core()
    plant(dst.dbPath).close()
    expect((await data(dst.call('bundle.import', { path: out }))).runs.map((r) => r.id)).toEqual([run.id])
    const d = new Database(dst.dbPath, { readonly: true })
    expect(d.prepare('SELECT note FROM x_notes').all()).toEqual([{ note: 'slow on Mondays' }])
    expect(d.prepare('SELECT COUNT(*) AS n FROM x_cache_runs').get()).toEqual({ n: 0 })
    d.close()
  })

  it('writes only .swarmscope files, never over an existing file unless told to', async () => {
    const src = core()
    await data(src.call('import.paths', { paths: [SIDECHAIN] }))
    const dir = tempDir()
    const bad = await src.call('bundle.export', { runIds: ['latest'], out: join(dir, '.bashrc') })
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } })
    const out = join(dir, 'a.swarmscope')
    expect((await src.call('bundle.export', { runIds: ['latest'], out })).ok).toBe(true)
    expect(await src.call('bundle.export', { runIds: ['latest'], out })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect((await src.call('bundle.export', { runIds: ['latest'], out, overwrite: true })).ok).toBe(true)
    expect(await src.call('bundle.export', { runIds: ['nope'], out: join(dir, 'b.swarmscope') })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })
})

// Opening a bundle writes its runs into the store: the store's disk is the store's trouble, said
// as such (before, a full disk read "cannot import the bundle's spans: database or disk is full",
// as if the bundle were at fault, and the space the failed copy took was kept).
describe('.swarmscope bundles on a store that has no room', () => {
  it('are refused before copying when the copy would leave less than the disk\'s reserve', async () => {
    const { out } = await exported()
    const dir = tempDir()
    const dst = core(dir)
    const s = statfsSync(dir)
    // All that is free now, less half the bundle: the copy needs its size twice (store and WAL).
    vi.stubEnv('SWARMSCOPE_DISK_RESERVE_MB', String((s.bavail * s.bsize - statSync(out).size / 2) / 1e6))
    try {
      const r = await dst.call('bundle.import', { path: out })
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.error.code).toBe('io_error')
      expect(r.error.message).toMatch(/^the disk holding the store .*swarmscope\.db has .* free, and writes stop before less than .* would be left \(counting .* that this import would still take there\)/)
    } finally {
      vi.unstubAllEnvs()
    }
    expect(await data(dst.call('runs.list', {}))).toEqual([])
    // With room, the same bundle opens.
    expect((await data(dst.call('bundle.import', { path: out }))).runs.length).toBeGreaterThan(0)
  })

  it('that fill the store say the disk is full, not that the bundle is bad', async () => {
    const { out } = await exported()
    const dir = tempDir()
    const store = openStore({ path: join(dir, 's.db') })
    const dst = createCoreOnStore(store)
    cores.push(dst)
    // SQLite's own limit on the store's size: the same SQLITE_FULL a full disk gives.
    store.write.pragma(`max_page_count = ${store.write.pragma('page_count', { simple: true }) as number}`)
    const r = await dst.call('bundle.import', { path: out })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('io_error')
    expect(r.error.message).toContain(`the disk holding the store ${store.path} is full`)
    expect(r.error.message).not.toContain('cannot import the bundle')
    expect(store.read.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0)
  })
})
