import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { tempDb } from '../helpers/temp'
import { FIXTURES, LOCAL_FIXTURES } from './ingest-helpers'

// The CLI runs from its esbuild bundle, with the parse worker bundled beside it
// (scripts/cli-bundle.mjs). 'always' fails rather than falling back when that worker cannot
// start, so this checks the shipped worker file itself, not the sources.
const BIN = new URL('../../bin/swarmscope.mjs', import.meta.url).pathname

function importJson(worker: 'always' | 'never') {
  const r = spawnSync(process.execPath, [BIN, 'import', FIXTURES, LOCAL_FIXTURES, '--json', '--db', tempDb()], {
    encoding: 'utf8',
    env: { ...process.env, SWARMSCOPE_INGEST_WORKER: worker },
    timeout: 120_000,
  })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  return JSON.parse(r.stdout) as { runs: { id: string }[]; skipped: unknown[] }
}

describe('bundled parse worker', () => {
  it('imports the real fixtures exactly as the single-threaded import does', () => {
    const inWorker = importJson('always')
    const inThread = importJson('never')
    expect(inWorker.runs.length).toBeGreaterThan(5)
    expect(inWorker).toEqual(inThread)
  }, 240_000)
})
