import { spawnSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { appendTurns, generateCorpus } from '../../bench/corpus/claude-code'
import { storeFloor } from '../../bench/lib/store-floor'
import { BIN } from '../live/helpers'
import { tempDir } from '../helpers/temp'

// The bench's warm.storeFloor writes, into a copy of the store made before an append, the rows
// the append's real import changed. Those writes must leave the copy equal to the store the
// import left, or the floor would time some other work.
describe('bench store floor', () => {
  it('writes exactly what the real import changed', { timeout: 120_000 }, () => {
    const dir = tempDir()
    const corpus = generateCorpus(dir, 4 * 1024 * 1024)
    const db = join(dir, 'store.db')
    const projects = join(dir, 'projects')
    const first = spawnSync(process.execPath, [BIN, '--db', db, 'import', projects, '--json'], { encoding: 'utf8' })
    expect(first.status, first.stderr).toBe(0)
    const sizes = corpus.sessions.map((p) => statSync(p).size)
    const tables = ['runs', 'agents', 'spans', 'events', 'metric_samples', 'imported_files', 'file_runs']
    let differences: Record<string, number> = {}
    const floor = storeFloor({
      bundle: BIN, db, projects, work: dir,
      append: () => appendTurns(corpus, 60, 5),
      written: (copy) => {
        const s = new Database(db, { readonly: true })
        s.prepare('ATTACH ? AS copy').run(copy)
        const count = (a: string, b: string, t: string) => (s.prepare(`SELECT COUNT(*) FROM (SELECT * FROM ${a}.${t} EXCEPT SELECT * FROM ${b}.${t})`).pluck().get() as number)
        differences = Object.fromEntries(tables.map((t) => [t, count('main', 'copy', t) + count('copy', 'main', t)]))
        s.close()
      },
    })
    expect(differences).toEqual(Object.fromEntries(tables.map((t) => [t, 0])))
    // Counted apart from the tool: the sessions whose transcripts grew are the runs that changed, each with its file's offset.
    const grown = corpus.sessions.filter((p, i) => statSync(p).size > sizes[i])
    expect(grown.length).toBeGreaterThan(1)
    expect(floor.appendedLines).toBeGreaterThanOrEqual(60)
    expect(floor.runsChanged).toBe(grown.length)
    expect(floor.rowsWritten.runs).toBe(grown.length)
    expect(floor.rowsWritten.imported_files).toBe(grown.length)
    expect(floor.rowsNew.runs).toBe(0)
    // Each appended API response is one new LLM span and each tool call one new tool span.
    const appended = corpus.sessions.flatMap((p, i) => readFileSync(p).subarray(sizes[i]).toString('utf8').split('\n').filter(Boolean))
    const records = appended.map((l) => JSON.parse(l) as { type: string; message: { id?: string; content?: unknown } })
    const responses = new Set(records.filter((r) => r.type === 'assistant').map((r) => r.message.id))
    const calls = new Set(records.flatMap((r) => (Array.isArray(r.message.content) ? r.message.content : []).filter((b: { type: string }) => b.type === 'tool_use').map((b: { id: string }) => b.id)))
    expect(responses.size).toBeGreaterThan(0)
    expect(floor.rowsNew.spans).toBe(responses.size + calls.size)
    expect(floor.walPages).toBeGreaterThan(0)
    expect(floor.floorMs).toBeGreaterThan(0)
  })
})
