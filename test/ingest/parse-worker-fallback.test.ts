import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { generateCorpus } from '../../bench/corpus/claude-code'
import { importPaths } from '../../src/core/ingest/importer'
import { WORKER_MIN_BYTES } from '../../src/core/ingest/parse-pool'
import { openStore } from '../../src/core/store/open'
import { SIDECHAIN } from '../helpers/transcript-facts'
import { tempDb, tempDir } from '../helpers/temp'

// A worker that cannot load its entry (as from inside an asar archive) fails before it sends
// anything: the importer then reads the files itself, and the import still succeeds.
vi.mock('node:worker_threads', async (original) => {
  const { EventEmitter } = await import('node:events')
  class BrokenWorker extends EventEmitter {
    constructor() {
      super()
      setTimeout(() => {
        this.emit('error', new Error('Cannot find module ingest-worker'))
        this.emit('exit', 1)
      }, 5)
    }
    postMessage(): void {}
    terminate = async () => 1
  }
  return { ...(await original<typeof import('node:worker_threads')>()), Worker: BrokenWorker }
})

// As in a build: a bundled worker entry seems to be there (so 'auto' chooses it), and fails.
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>()
  return { ...fs, existsSync: (p: Parameters<typeof fs.existsSync>[0]) => String(p).endsWith('ingest-worker.mjs') || fs.existsSync(p) }
})

describe('parse worker that cannot start', () => {
  it('falls back to parsing in the importer thread when the worker was only an option', async () => {
    // Large enough for the importer to choose the worker by itself.
    const dir = tempDir()
    const corpus = generateCorpus(dir, WORKER_MIN_BYTES + 1024 * 1024)
    const store = openStore({ path: tempDb() })
    try {
      const r = await importPaths(store, { paths: [join(dir, 'projects')], worker: 'auto' })
      expect(r.skipped).toEqual([])
      expect(r.runIds.length).toBe(corpus.sessions.length)
      expect(store.read.prepare('SELECT SUM(spans) FROM runs').pluck().get()).toBeGreaterThan(0)
    } finally {
      store.close()
    }
  }, 60_000)

  it('fails the import, leaving the store as it was, when the worker was asked for', async () => {
    const store = openStore({ path: tempDb() })
    try {
      await expect(importPaths(store, { paths: [SIDECHAIN], worker: 'always' })).rejects.toThrow(/Cannot find module/)
      expect(store.read.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0)
    } finally {
      store.close()
    }
  })
})
