import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importPaths } from '../../src/core/ingest/importer'
import { LINES_LISTED_PER_FILE } from '../../src/core/ingest/skip-list'
import { openStore } from '../../src/core/store/open'
import { tempDb, tempDir } from '../helpers/temp'
import { FIXTURES } from './ingest-helpers'

const REAL = join(FIXTURES, 'claude-code-jsonl/claude-code-log/minimal_showcase/55550000-0000-4000-8000-000000000001.jsonl')

describe('a file with more bad lines than are listed', () => {
  it('lists the first ones with their line numbers and counts the rest in one entry, in the worker and without it', async () => {
    const dir = tempDir()
    // The real transcript's lines with 250 cut-off lines after them, and a good file beside it.
    const good = readFileSync(REAL, 'utf8').trimEnd().split('\n')
    const session = JSON.parse(good[0]).sessionId as string
    const badFile = join(dir, `${session}.jsonl`)
    const bad = Array.from({ length: 250 }, (_, i) => `{"type":"user","sessionId":"${session}","timestamp":"2026-01-0${(i % 9) + 1}`)
    writeFileSync(badFile, [...good, ...bad].join('\n') + '\n')
    mkdirSync(join(dir, 'other'))
    copyFileSync(join(FIXTURES, 'claude-code-jsonl/claude-code-log/sidechain_integrated.jsonl'), join(dir, 'other', 'sidechain_integrated.jsonl'))
    for (const worker of ['always', 'never'] as const) {
      const store = openStore({ path: tempDb() })
      try {
        const r = await importPaths(store, { paths: [dir], worker })
        const listed = r.skipped.filter((s) => s.file === badFile)
        expect(listed.length, worker).toBe(LINES_LISTED_PER_FILE + 1)
        // Lines numbered as in the file: the first bad line follows the good ones.
        expect(listed.slice(0, LINES_LISTED_PER_FILE).map((s) => s.line)).toEqual(Array.from({ length: LINES_LISTED_PER_FILE }, (_, i) => good.length + 1 + i))
        expect(listed[LINES_LISTED_PER_FILE]).toEqual({ file: badFile, line: null, reason: `${250 - LINES_LISTED_PER_FILE} more skipped lines not listed (the first ${LINES_LISTED_PER_FILE} are)` })
        // The good lines of both files are stored.
        const llm = store.read.prepare(`SELECT run_id, COUNT(*) AS n FROM spans WHERE kind = 'llm' GROUP BY run_id ORDER BY run_id`).all() as { run_id: string; n: number }[]
        expect(llm.map((x) => x.run_id)).toContain(`cc-${session}`)
        expect(llm.length, worker).toBe(2)
      } finally {
        store.close()
      }
    }
  })
})
