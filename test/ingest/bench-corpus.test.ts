import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appendTurns, generateCorpus, generateLongSession } from '../../bench/corpus/claude-code'
import { createCore } from '../../src/core'
import { importPaths } from '../../src/core/ingest/importer'
import { openStore } from '../../src/core/store/open'
import { tempDb, tempDir } from '../helpers/temp'

// The bench's warm figures depend on which sessions an append grows: one turn into every tenth
// session (the judged figure), or turn after turn into a few sessions spread over the corpus.
describe('bench corpus appends', () => {
  const grownBy = (sessions: string[], append: () => number) => {
    const before = sessions.map((p) => statSync(p).size)
    const lines = append()
    return { lines, grown: sessions.flatMap((p, i) => (statSync(p).size > before[i] ? [i] : [])) }
  }

  it('grow every tenth session by one turn, or the given number of sessions spread over the corpus by many', () => {
    const corpus = generateCorpus(tempDir(), 10 * 1024 * 1024)
    const n = corpus.sessions.length
    expect(n).toBeGreaterThan(30)
    // At most four turns (each has a line or more): sessions 0, 10, 20, 30 at most, no wrap-around.
    const spread = grownBy(corpus.sessions, () => appendTurns(corpus, 4, 3))
    expect(spread.lines).toBeGreaterThanOrEqual(4)
    expect(spread.grown).toEqual(Array.from({ length: spread.grown.length }, (_, j) => j * 10))
    const few = grownBy(corpus.sessions, () => appendTurns(corpus, 200, 4, { sessions: 3 }))
    expect(few.lines).toBeGreaterThanOrEqual(200)
    expect(few.grown).toEqual([0, Math.floor(n / 3), Math.floor((2 * n) / 3)])
  })
})

// The bench's "1 GB JSONL" figure: one session in one file, every line of it importable.
describe('bench long session', () => {
  it('is one transcript of one session that imports whole as one run', async () => {
    const session = generateLongSession(tempDir(), 2 * 1024 * 1024)
    expect(readdirSync(dirname(session.file))).toEqual([session.file.split('/').pop()])
    const text = readFileSync(session.file, 'utf8')
    expect(session.bytes).toBe(text.length)
    const records = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { sessionId: string; type: string; requestId?: string; message: { id?: string } })
    expect(records.length).toBe(session.lines)
    expect(new Set(records.map((r) => r.sessionId)).size).toBe(1)
    const responses = new Set(records.filter((r) => r.type === 'assistant').map((r) => `${r.message.id}:${r.requestId}`))
    const core = createCore({ path: tempDb() })
    const r = await core.call('import.paths', { paths: [session.file] })
    core.close()
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.data.skipped).toEqual([])
    expect(r.data.runs.map((run) => [run.id, run.llmCalls])).toEqual([[`cc-${records[0].sessionId}`, responses.size]])
  })

  it('written as Claude Code 1.x did, puts its subagents\' calls on one `sidechain` agent', async () => {
    const session = generateLongSession(tempDir(), 3 * 1024 * 1024, 43, { inFileSidechains: true })
    const records = readFileSync(session.file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; isSidechain: boolean; agentId?: string; requestId?: string; message: { id?: string } })
    const side = records.filter((r) => r.isSidechain)
    // Most lines are the subagents', and none names its agent: the case that waits for the end of the file.
    expect(side.length).toBeGreaterThan(records.length / 2)
    expect(side.filter((r) => r.agentId !== undefined)).toEqual([])
    const responses = (rs: typeof records) => new Set(rs.filter((r) => r.type === 'assistant').map((r) => `${r.message.id}:${r.requestId}`)).size
    const store = openStore({ path: tempDb() })
    try {
      const r = await importPaths(store, { paths: [session.file] })
      expect(r.skipped).toEqual([])
      const byAgent = Object.fromEntries(store.read.prepare("SELECT agent_id, COUNT(*) FROM spans WHERE kind = 'llm' GROUP BY agent_id").raw().all() as [string, number][])
      expect(byAgent).toEqual({ main: responses(records.filter((r) => !r.isSidechain)), sidechain: responses(side) })
    } finally {
      store.close()
    }
  })
})
