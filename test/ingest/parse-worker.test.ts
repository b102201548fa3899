import { appendFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importPaths, type ImportOptions } from '../../src/core/ingest/importer'
import { openStore } from '../../src/core/store/open'
import { SIDECHAIN } from '../helpers/transcript-facts'
import { tempDb, tempDir } from '../helpers/temp'
import { FIXTURES, LOCAL_FIXTURES } from './ingest-helpers'

// Large imports parse in a worker thread and replay the records here (parse-pool.ts). The
// store must end up exactly as when everything is parsed in the importer's own thread.

const TABLES = ['runs', 'run_tags', 'agents', 'spans', 'events', 'metric_samples', 'span_content', 'imported_files', 'file_runs']
const CLOCK_COLUMNS = ['created_at', 'updated_at', 'imported_at']

/** Every row of every table, minus the wall-clock columns. */
function dump(path: string): Record<string, unknown[]> {
  const store = openStore({ path })
  try {
    return Object.fromEntries(
      TABLES.map((t) => [
        t,
        (store.read.prepare(`SELECT * FROM ${t}`).all() as Record<string, unknown>[]).map((r) => {
          for (const c of CLOCK_COLUMNS) delete r[c]
          return r
        }),
      ]),
    )
  } finally {
    store.close()
  }
}

async function importInto(db: string, opts: Omit<ImportOptions, 'worker'>, worker: 'always' | 'never', parseAhead = true) {
  const store = openStore({ path: db })
  try {
    const r = await importPaths(store, { ...opts, worker, parseAhead })
    return { ...r, runIds: [...r.runIds].sort() }
  } finally {
    store.close()
  }
}

/** A folder with every kind of input: real transcripts and claude-flow projects, OTLP, bad lines, an empty and an unknown file. */
function mixedFolder(): string {
  const dir = tempDir()
  cpSync(FIXTURES, join(dir, 'real'), { recursive: true })
  cpSync(LOCAL_FIXTURES, join(dir, 'local'), { recursive: true })
  const lines = readFileSync(SIDECHAIN, 'utf8').split('\n').filter(Boolean)
  mkdirSync(join(dir, 'bad'))
  writeFileSync(join(dir, 'bad', 'broken.jsonl'), [lines[0], '{"type":"user", truncated', ...lines.slice(1, 4), '[1,2]'].join('\n') + '\n' + lines[4].slice(0, 30))
  writeFileSync(join(dir, 'bad', 'empty.jsonl'), '')
  writeFileSync(join(dir, 'bad', 'notes.txt'), 'not a run log\n')
  return dir
}

describe('parse worker', () => {
  it('stores exactly what the in-thread import stores, under every content policy', async () => {
    const dir = mixedFolder()
    const paths = [dir, join(dir, 'bad', 'notes.txt'), join(dir, 'bad', 'empty.jsonl')]
    for (const contentPolicy of ['none', 'redacted', 'full'] as const) {
      const [a, b] = [tempDb(), tempDb()]
      const inThread = await importInto(a, { paths, contentPolicy, group: 'g', tags: { k: 'v' } }, 'never')
      const inWorker = await importInto(b, { paths, contentPolicy, group: 'g', tags: { k: 'v' } }, 'always')
      expect(inWorker).toEqual(inThread)
      expect(inThread.skipped.length).toBeGreaterThan(2)
      expect(dump(b)).toEqual(dump(a))
    }
  }, 60_000)

  it('stores the same whether the importer parses files ahead of the worker or leaves them all to it', async () => {
    const dir = mixedFolder()
    const [a, b, c] = [tempDb(), tempDb(), tempDb()]
    const inThread = await importInto(a, { paths: [dir], contentPolicy: 'redacted' }, 'never')
    // The worker alone parses every file it can read; with parse-ahead (the default) the importer
    // takes files while the worker starts up (a second or so from sources), so both paths mix.
    const workerOnly = await importInto(b, { paths: [dir], contentPolicy: 'redacted' }, 'always', false)
    const mixed = await importInto(c, { paths: [dir], contentPolicy: 'redacted' }, 'always', true)
    expect(workerOnly).toEqual(inThread)
    expect(mixed).toEqual(inThread)
    expect(dump(b)).toEqual(dump(a))
    expect(dump(c)).toEqual(dump(a))
  }, 60_000)

  it('resumes grown transcripts and skips unchanged files the same way', async () => {
    const dir = mixedFolder()
    const [a, b] = [tempDb(), tempDb()]
    for (const mode of ['never', 'always'] as const) await importInto(mode === 'never' ? a : b, { paths: [dir] }, mode)
    // The half-written last line is completed, and whole new lines follow.
    const lines = readFileSync(SIDECHAIN, 'utf8').split('\n').filter(Boolean)
    appendFileSync(join(dir, 'bad', 'broken.jsonl'), lines[4].slice(30) + '\n' + lines.slice(5).join('\n') + '\n')
    const again = await importInto(a, { paths: [dir] }, 'never')
    const againWorker = await importInto(b, { paths: [dir] }, 'always')
    expect(againWorker).toEqual(again)
    // The empty log in the folder is listed each time; nothing else is left to refuse.
    expect(again.skipped).toEqual([{ file: join(dir, 'bad', 'empty.jsonl'), line: null, reason: 'empty file' }])
    expect(dump(b)).toEqual(dump(a))
  }, 60_000)

  it('rolls a cancelled import back whole', async () => {
    const dir = mixedFolder()
    const db = tempDb()
    const abort = new AbortController()
    const store = openStore({ path: db })
    try {
      const run = importPaths(store, { paths: [dir], worker: 'always', signal: abort.signal, onProgress: () => abort.abort() })
      await expect(run).rejects.toMatchObject({ code: 'cancelled' })
      expect(store.read.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0)
      expect(store.read.prepare('SELECT COUNT(*) FROM imported_files').pluck().get()).toBe(0)
    } finally {
      store.close()
    }
  }, 60_000)
})
