import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core/core'
import { checkpointWhenIdle } from '../../src/core/store/idle-checkpoint'
import { openStore, type Store } from '../../src/core/store/open'
import { until } from '../live/helpers'

// A commit leaves its pages in the WAL (no checkpoint inside COMMIT); they reach the database
// file once the connection has been quiet for a moment, or after a while of constant writing.

const fileSize = (p: string) => statSync(p).size
const FIXTURE = new URL('../../../shared/fixtures/real/claude-code-jsonl', import.meta.url).pathname

describe('checkpointWhenIdle', () => {
  let dir: string
  let store: Store | null = null
  let core: Core | null = null
  afterEach(() => {
    core?.close()
    store?.close()
    core = store = null
    rmSync(dir, { recursive: true, force: true })
  })

  /** ~4 MB of new pages in one commit (more than the 1,000 pages that trigger SQLite's own checkpoint). */
  function bigCommit(s: Store) {
    s.write.exec('CREATE TABLE IF NOT EXISTS filler (x BLOB)')
    const ins = s.write.prepare('INSERT INTO filler VALUES (randomblob(4000))')
    s.write.transaction(() => {
      for (let i = 0; i < 1000; i++) ins.run()
    })()
  }

  it('keeps the commit free of the checkpoint, and checkpoints once quiet', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ckpt-'))
    store = openStore({ path: join(dir, 'a.db') })
    const cp = checkpointWhenIdle(store.write, { tickMs: 20, quietMs: 100 })
    const before = fileSize(store.path)
    bigCommit(store)
    // Without the deferral SQLite would have copied the pages into the file inside COMMIT.
    expect(fileSize(store.path)).toBe(before)
    expect(fileSize(store.path + '-wal')).toBeGreaterThan(4_000_000)
    await until('the idle checkpoint', () => fileSize(store!.path) > before + 4_000_000, 5000)
    cp.stop()
    expect(store.write.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
  })

  it('checkpoints during constant writing after maxDirtyMs', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ckpt-'))
    store = openStore({ path: join(dir, 'b.db') })
    const cp = checkpointWhenIdle(store.write, { tickMs: 20, quietMs: 10_000, maxDirtyMs: 200 })
    const before = fileSize(store.path)
    bigCommit(store)
    const small = store.write.prepare('INSERT INTO filler VALUES (x\'00\')')
    // A write every 10 ms: never quiet for 10 s, but the WAL is still folded back within ~200 ms.
    const writer = setInterval(() => small.run(), 10)
    try {
      await until('the bounded checkpoint', () => fileSize(store!.path) > before + 4_000_000, 5000)
    } finally {
      clearInterval(writer)
      cp.stop()
    }
  })

  it('is on in every core opened on a file: the pages of an import reach the database file once the core is quiet', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ckpt-'))
    core = createCore({ path: join(dir, 'c.db') })
    const path = core.dbPath
    const r = await core.call('import.paths', { paths: [FIXTURE] })
    expect(r.ok && r.data.runs.length).toBeGreaterThan(0)
    const walAfterImport = fileSize(path + '-wal')
    expect(walAfterImport).toBeGreaterThan(0)
    const sizeAfterImport = fileSize(path)
    await until('the checkpoint after the import', () => fileSize(path) > sizeAfterImport, 5000)
  })
})
