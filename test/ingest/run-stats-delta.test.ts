import { appendFileSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appendTurns, generateCorpus } from '../../bench/corpus/claude-code'
import { importPaths } from '../../src/core/ingest/importer'
import { openStore } from '../../src/core/store/open'
import { refreshRunStats } from '../../src/core/store/run-stats'
import { CC, SHOWCASE_MAIN, SHOWCASE_SUB, SIDECHAIN } from '../helpers/transcript-facts'
import { tempDb, tempDir } from '../helpers/temp'

// An import that grows runs already in the store brings their summaries up to date from the
// spans it touched (run-stats-delta.ts), not from all of the runs' rows. Here transcripts grow
// step by step, the way a tail imports them (responses cut between their content-block lines,
// tool results arriving an import after their calls, subagents, a model with no price), and
// after every import every summary must equal a recount from the rows. Costs are sums of
// reals: a difference taken from the old sum may round differently in the last bit.

const SUMMARY = `SELECT id, started_at, ended_at, agents, spans, llm_calls, tool_calls, errors, metric_samples, events, input_tokens,
  output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd, reported_cost_usd, unpriced_models FROM runs ORDER BY id`
type Summary = Record<string, number | string | null>

/** Every run's summary as stored, and as a recount from its rows makes it (rolled back: later steps start from what the import left). */
function storedAndRecounted(db: string): { stored: Summary[]; recounted: Summary[] } {
  const store = openStore({ path: db })
  try {
    const stored = store.write.prepare(SUMMARY).all() as Summary[]
    const ids = stored.map((r) => r.id as string)
    store.write.exec('BEGIN')
    for (const id of ids) refreshRunStats(store.write, id)
    const recounted = store.write.prepare(SUMMARY).all() as Summary[]
    store.write.exec('ROLLBACK')
    return { stored, recounted }
  } finally {
    store.close()
  }
}

function expectSameSummaries(db: string, step: string): void {
  const { stored, recounted } = storedAndRecounted(db)
  expect(stored.length, step).toBe(recounted.length)
  stored.forEach((s, i) => {
    const r = recounted[i]
    const { cost_usd: c1, reported_cost_usd: rc1, ...rest1 } = s
    const { cost_usd: c2, reported_cost_usd: rc2, ...rest2 } = r
    expect(rest1, `${step}: ${s.id}`).toEqual(rest2)
    expect(Math.abs((c1 as number) - (c2 as number)), `${step}: ${s.id} cost`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c2 as number)))
    if (rc2 === null) expect(rc1, `${step}: ${s.id} reported cost`).toBeNull()
    else expect(Math.abs((rc1 as number) - (rc2 as number))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(rc2 as number)))
  })
}

/** Lines of a file, and the file written with the first `n` of them. */
const linesOf = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean)

async function importInto(db: string, paths: string[], maxTrackedSpans?: number) {
  const store = openStore({ path: db })
  try {
    const r = await importPaths(store, { paths, maxTrackedSpans })
    expect(r.skipped.filter((s) => !/incomplete last line/.test(s.reason))).toEqual([])
    return r
  } finally {
    store.close()
  }
}

describe('run summaries of runs an import grows', () => {
  for (const [label, cap] of [['', undefined], [', with a run past the spans whose figures are kept summed up whole', 2]] as const) {
    it(`equal a recount after each of several imports of growing real transcripts, cut anywhere${label}`, async () => {
      // The real transcripts (a session with an in-file sidechain, and one with a subagent file), laid out as ~/.claude/projects.
      const dir = tempDir()
      const files = [
        { from: SIDECHAIN, to: join(dir, 'p', basename(SIDECHAIN)) },
        { from: SHOWCASE_MAIN, to: join(dir, 'p', basename(SHOWCASE_MAIN)) },
        { from: SHOWCASE_SUB, to: join(dir, 'p', SHOWCASE_SUB.slice(`${CC}minimal_showcase/`.length)) },
      ]
      for (const f of files) mkdirSync(dirname(f.to), { recursive: true })
      const lines = files.map((f) => linesOf(f.from))
      const db = tempDb()
      // Cut points in thirds and odd places: between two lines of one response, between a call and its result.
      const cuts = [0.2, 0.45, 0.5, 0.8, 1]
      let done = lines.map(() => 0)
      for (const [step, cut] of cuts.entries()) {
        const upto = lines.map((ls) => Math.max(1, Math.round(ls.length * cut)))
        files.forEach((f, i) => {
          const part = lines[i].slice(done[i], upto[i])
          if (part.length) appendFileSync(f.to, part.join('\n') + '\n')
        })
        done = upto
        const r = await importInto(db, [join(dir, 'p')], cap)
        expect(r.runIds.length).toBe(2)
        expectSameSummaries(db, `step ${step}`)
      }
      // And the end state is that of one import of the whole files.
      const whole = tempDb()
      await importInto(whole, files.map((f) => f.from))
      const grown = storedAndRecounted(db).stored
      const once = storedAndRecounted(whole).stored
      expect(grown.map(({ cost_usd: _c, ...r }) => r)).toEqual(once.map(({ cost_usd: _c, ...r }) => r))
    })
  }

  it('equal a recount when generated sessions grow by turns, a response is split across imports, and a model has no price', async () => {
    const dir = tempDir()
    const corpus = generateCorpus(dir, 600 * 1024)
    const db = tempDb()
    await importInto(db, [join(dir, 'projects')])
    expectSameSummaries(db, 'first import')
    const session = corpus.sessions[0]
    const sessionId = basename(session, '.jsonl')
    const base = { parentUuid: null, isSidechain: false, userType: 'external', cwd: '/home/dev/project', sessionId, version: '2.1.20' }
    const usage = { input_tokens: 12, cache_creation_input_tokens: 100, cache_read_input_tokens: 2000, output_tokens: 55 }
    const message = (id: string, model: string, block: unknown) => ({ id, type: 'message', role: 'assistant', model, content: [block], stop_reason: null, usage })
    const line = (o: Record<string, unknown>) => JSON.stringify({ ...base, ...o }) + '\n'
    for (let step = 0; step < 3; step++) {
      appendTurns(corpus, 40, 100 + step)
      // A response from a model no price table knows, written over two imports: its text block now, its tool call next time.
      const t = Date.UTC(2026, 8, 1, 10, step)
      appendFileSync(session, line({ type: 'assistant', uuid: `u-unpriced-${step}`, timestamp: new Date(t).toISOString(), requestId: `req-${step}`, costUSD: 0.25, message: message(`msg-unpriced-${step}`, 'claude-imaginary-9', { type: 'text', text: 'hi' }) }))
      await importInto(db, [join(dir, 'projects')])
      expectSameSummaries(db, `step ${step}a`)
      appendFileSync(session, line({ type: 'assistant', uuid: `u-unpriced-${step}b`, timestamp: new Date(t + 500).toISOString(), requestId: `req-${step}`, costUSD: 0.25, message: message(`msg-unpriced-${step}`, 'claude-imaginary-9', { type: 'tool_use', id: `toolu-x-${step}`, name: 'Bash', input: { command: 'ls' } }) }))
      appendFileSync(session, line({ type: 'user', uuid: `u-result-${step}`, timestamp: new Date(t + 900).toISOString(), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu-x-${step}`, content: 'no such file', is_error: true }] } }))
      // A response whose first line carries no usage (left unpriced) and whose next line, an import later, does: it is priced then.
      appendFileSync(session, line({ type: 'assistant', uuid: `u-late-${step}`, timestamp: new Date(t + 1000).toISOString(), requestId: `req-late-${step}`, message: { id: `msg-late-${step}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'x' }] } }))
      await importInto(db, [join(dir, 'projects')])
      expectSameSummaries(db, `step ${step}b`)
      appendFileSync(session, line({ type: 'assistant', uuid: `u-late-${step}b`, timestamp: new Date(t + 1500).toISOString(), requestId: `req-late-${step}`, message: message(`msg-late-${step}`, 'claude-sonnet-4-5-20250929', { type: 'text', text: 'y' }) }))
      await importInto(db, [join(dir, 'projects')])
      expectSameSummaries(db, `step ${step}c`)
    }
    const store = openStore({ path: db })
    const run = store.read.prepare('SELECT unpriced_models, reported_cost_usd, errors FROM runs WHERE id = ?').get(`cc-${sessionId}`) as Summary
    store.close()
    expect(JSON.parse(run.unpriced_models as string)).toEqual(['claude-imaginary-9'])
    expect(run.reported_cost_usd).toBeCloseTo(0.75, 9)
    expect(run.errors as number).toBeGreaterThanOrEqual(3)
  })

  it('hold when a transcript is rewritten from its start (a store asked for more text re-reads it whole)', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'p'))
    const path = join(dir, 'p', basename(SIDECHAIN))
    copyFileSync(SIDECHAIN, path)
    const db = tempDb()
    await importInto(db, [path])
    const first = storedAndRecounted(db).stored
    const store = openStore({ path: db })
    try {
      // Under 'redacted' the file is read again from its first line: every span of the run is written again.
      await importPaths(store, { paths: [path], contentPolicy: 'redacted' })
    } finally {
      store.close()
    }
    expectSameSummaries(db, 're-read')
    // The same rows read again: the summary, cost included, is the same to the last bit.
    expect(storedAndRecounted(db).stored).toEqual(first)
  })
})
