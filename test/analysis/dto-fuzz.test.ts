import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareRuns } from '../../src/core/analysis/compare'
import { analyzeRun } from '../../src/core/analysis/run-analysis'
import { openStore } from '../../src/core/store/open'
import { refreshRunStats } from '../../src/core/store/run-stats'
import { RunAnalysis, RunComparison } from '../../src/shared/analysis-dto'

// Whatever the rows (missing times, zero durations, no usage, unknown models, constant values),
// the results must be plain JSON: the DTO schemas reject NaN and ±Infinity.

const spanRow = fc.record({
  parent: fc.nat(20),
  agent: fc.constantFrom('main', 'sub', null),
  kind: fc.constantFrom('agent', 'llm', 'tool', 'task', 'other'),
  name: fc.constantFrom('Bash', 'Read', 'Task', 'x'),
  start: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null, freq: 8 }),
  len: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: null, freq: 8 }),
  error: fc.boolean(),
  model: fc.constantFrom('claude-sonnet-4-5', 'claude-haiku-4-5', 'mystery-model', null),
  input: fc.option(fc.nat(50_000), { nil: null }),
  output: fc.nat(5_000),
  cacheRead: fc.nat(100_000),
})

describe('analysis outputs are JSON-safe for arbitrary rows', () => {
  it('analyzeRun and compareRuns always parse with their schemas', () => {
    const store = openStore({ path: ':memory:' })
    const db = store.write
    let n = 0
    fc.assert(
      fc.property(fc.array(fc.array(spanRow, { maxLength: 25 }), { minLength: 2, maxLength: 4 }), (runs) => {
        const ids = runs.map((rows) => {
          const id = `fuzz-${n++}`
          db.prepare(`INSERT INTO runs (id, source, format, name, created_at, updated_at) VALUES (?, 'fuzz', 'sql', ?, 0, 0)`).run(id, id)
          db.prepare(`INSERT INTO agents (run_id, id, name, type, parent_agent_id, parent_span_id) VALUES (?, 'main', 'main', 'main', NULL, NULL), (?, 'sub', 'sub', NULL, 'main', 's0')`).run(id, id)
          const put = db.prepare(`INSERT INTO spans (run_id, id, parent_id, agent_id, kind, name, start_ms, end_ms, status, model, input_tokens, output_tokens, cache_read_tokens, cost_usd)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          rows.forEach((r, i) => {
            const llm = r.kind === 'llm'
            const priced = llm && r.input !== null && r.model !== 'mystery-model' && r.model !== null
            put.run(id, `s${i}`, r.parent < i ? `s${r.parent}` : null, r.agent, r.kind, r.name, r.start, r.start !== null && r.len !== null ? r.start + r.len : null,
              r.error ? 'error' : 'ok', llm ? r.model : null, llm ? r.input : null, llm ? r.output : null, llm ? r.cacheRead : null, priced ? (r.input ?? 0) * 3e-6 : null)
          })
          refreshRunStats(db, id)
          return id
        })
        for (const id of ids) RunAnalysis.parse(analyzeRun(db, id))
        const half = Math.ceil(ids.length / 2)
        RunComparison.parse(compareRuns(db, ids.slice(0, half).map((x) => [x]), ids.slice(half).map((x) => [x]), { resamples: 50, minSamples: 1 }))
        RunComparison.parse(compareRuns(db, [[ids[0]]], [[ids[1]]], { resamples: 50, minSamples: 2 }))
      }),
      { numRuns: 60 },
    )
    store.close()
    expect(n).toBeGreaterThan(0)
  })
})
