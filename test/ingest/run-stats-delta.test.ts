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
// What settleAgentLinks settles (an import settles a grown run's links only after writes that may move them).
const LINKS = `SELECT a.run_id, a.id, a.name, a.type, a.parent_span_id, s.parent_id AS span_parent FROM agents a
  LEFT JOIN spans s ON s.run_id = a.run_id AND s.id = 'agent:' || a.id ORDER BY a.run_id, a.id`
type Summary = Record<string, number | string | null>

/** Every run's summary (and agents' links) as stored, and as a recount from its rows makes it (rolled back: later steps start from what the import left). */
function storedAndRecounted(db: string): { stored: Summary[]; recounted: Summary[]; links: Summary[]; relinked: Summary[] } {
  const store = openStore({ path: db })
  try {
    const stored = store.write.prepare(SUMMARY).all() as Summary[]
    const links = store.write.prepare(LINKS).all() as Summary[]
    const ids = stored.map((r) => r.id as string)
    store.write.exec('BEGIN')
    for (const id of ids) refreshRunStats(store.write, id)
    const recounted = store.write.prepare(SUMMARY).all() as Summary[]
    const relinked = store.write.prepare(LINKS).all() as Summary[]
    store.write.exec('ROLLBACK')
    return { stored, recounted, links, relinked }
  } finally {
    store.close()
  }
}

function expectSameSummaries(db: string, step: string): void {
  const { stored, recounted, links, relinked } = storedAndRecounted(db)
  expect(links, `${step}: agents' links`).toEqual(relinked)
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

  it('hold when a run grows by events, metric samples, a subagent whose starting call comes an import later, and a span widened to an error', async () => {
    const dir = tempDir()
    const path = join(dir, 'swarm.ndjson')
    const T = Date.UTC(2026, 0, 1, 10)
    const at = (s: number) => T + s * 1000
    const steps: object[][] = [
      [
        { v: 1, type: 'run', id: 'sw', name: 'swarm' },
        { type: 'agent', id: 'planner', agentType: 'planner' },
        { type: 'span', id: 'agent:planner', kind: 'agent', name: 'planner', agentId: 'planner', start: at(0), end: at(5) },
        { type: 'span', id: 'l1', parentId: 'agent:planner', kind: 'llm', name: 'claude-sonnet-4-5', model: 'claude-sonnet-4-5', agentId: 'planner', start: at(1), end: at(2), status: 'ok', inputTokens: 1200, outputTokens: 300 },
        { type: 'span', id: 't1', parentId: 'agent:planner', kind: 'tool', name: 'Read', agentId: 'planner', start: at(2), end: at(3), status: 'ok' },
        { type: 'metric', name: 'queue.depth', value: 3, ts: at(2) },
      ],
      [
        // The agent names the call that started it, which is not stored yet; an error event; a model without a price.
        { type: 'agent', id: 'coder-1', parentAgentId: 'planner', parentSpanId: 't2' },
        { type: 'span', id: 'agent:coder-1', kind: 'agent', name: 'coder-1', agentId: 'coder-1', start: at(7), end: at(9) },
        { type: 'span', id: 'l2', parentId: 'agent:coder-1', kind: 'llm', name: 'claude-imaginary-9', model: 'claude-imaginary-9', agentId: 'coder-1', start: at(7), end: at(8), inputTokens: 10, outputTokens: 5 },
        { type: 'event', id: 'e1', ts: at(8), name: 'tool.failed', severity: 'error', agentId: 'coder-1' },
      ],
      [
        // The starting call arrives (the agent takes its type from it), with an earlier sample and a later event.
        { type: 'span', id: 't2', parentId: 'agent:planner', kind: 'tool', name: 'Task', agentId: 'planner', start: at(6), end: at(10), status: 'ok', attrs: { subagentType: 'coder' } },
        { type: 'metric', name: 'queue.depth', value: 1, ts: T - 5000 },
        { type: 'event', id: 'e2', ts: at(20), name: 'run.done', severity: 'info' },
      ],
      [
        // A span written again: its end widens and it turns to an error; the planner's span widens; an event sent again.
        { type: 'span', id: 't1', kind: 'tool', name: 'Read', end: at(4), status: 'error', error: 'denied' },
        { type: 'span', id: 'agent:planner', kind: 'agent', name: 'planner', agentId: 'planner', end: at(12) },
        { type: 'event', id: 'e1', ts: at(8), name: 'tool.failed', severity: 'error', agentId: 'coder-1' },
        { type: 'span', id: 'l3', kind: 'llm', name: 'claude-sonnet-4-5', model: 'claude-sonnet-4-5', agentId: 'planner', start: at(11), end: at(12), inputTokens: 7, outputTokens: 3, reportedCostUsd: 0.5 },
      ],
    ]
    const db = tempDb()
    for (const [i, records] of steps.entries()) {
      appendFileSync(path, records.map((r) => JSON.stringify({ runId: 'sw', ...r })).join('\n') + '\n')
      await importInto(db, [path])
      expectSameSummaries(db, `step ${i}`)
    }
    const { stored, links } = storedAndRecounted(db)
    // Counted here from the records above, not from the store.
    expect(stored[0]).toMatchObject({ spans: 7, llm_calls: 3, tool_calls: 2, errors: 2, events: 2, metric_samples: 2, started_at: T - 5000, ended_at: at(20), unpriced_models: '["claude-imaginary-9"]', reported_cost_usd: 0.5 })
    expect(links.find((l) => l.id === 'coder-1')).toMatchObject({ type: 'coder', parent_span_id: 't2', span_parent: 't2' })
  })
})
