import { describe, expect, it } from 'vitest'
import type { Database } from 'better-sqlite3'
import { loadSpans, type SpanRow } from '../../src/core/analysis/span-data'
import { openStore } from '../../src/core/store/open'
import { tempDb } from '../helpers/temp'

// loadSpans reads columns as JSON arrays (fast) and must return exactly what reading the rows one
// by one returns: same values (costs to the last bit, odd text), same order, for one or many runs,
// and the row-by-row reader when times hold fractions (JSON would round them).

const ROWS = `SELECT run_id AS runId, id, parent_id AS parentId, agent_id AS agentId, kind, name, start_ms AS startMs, end_ms AS endMs,
  status, model, input_tokens AS inputTokens, output_tokens AS outputTokens, cache_creation_tokens AS cacheCreationTokens,
  cache_creation_1h_tokens AS cacheCreation1hTokens, cache_read_tokens AS cacheReadTokens, cost_usd AS costUsd
  FROM spans WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, start_ms, id`

function store(fractional: boolean) {
  const s = openStore({ path: tempDb() })
  const db = s.write
  const ins = db.prepare(`INSERT INTO spans (run_id, id, parent_id, agent_id, kind, name, start_ms, end_ms, status, model, input_tokens, output_tokens,
    cache_creation_tokens, cache_read_tokens, cost_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  for (const run of ['b-run', 'a-run']) {
    db.prepare(`INSERT INTO runs (id, source, format, name, created_at, updated_at) VALUES (?, 'ndjson', 'test', ?, 0, 0)`).run(run, run)
    for (let i = 0; i < 50; i++) {
      const start = i % 7 === 0 ? null : 1_000 + (i % 5) * 10 + (fractional && i === 3 ? 0.25 : 0)
      ins.run(run, `s${(i * 37) % 50}-"quoted"\\ ✓ 😀`, i ? `s${i - 1}` : null, i % 3 ? 'main' : null, i % 2 ? 'llm' : 'tool', `name\n${i}`, start,
        start === null ? null : start + i, i % 11 ? 'ok' : 'error', i % 2 ? 'claude' : null, i, 2 * i, null, i % 4 ? 3 * i : null, i % 2 ? 0.1 + i * 1e-17 + 1 / 3 : null)
    }
  }
  return s
}

/** Whether loadSpans fell back to reading rows one by one (it names the columns there). */
function readRows(db: Database, f: () => void): boolean {
  const prepare = db.prepare.bind(db)
  let rows = false
  db.prepare = ((sql: string) => ((rows ||= sql.includes('AS parentId')), prepare(sql))) as typeof db.prepare
  f()
  db.prepare = prepare
  return rows
}

describe('loadSpans', () => {
  it('equals the row-by-row read for one run and for several, values and order', () => {
    const s = store(false)
    for (const runs of [['a-run'], ['b-run', 'a-run']]) {
      let spans: unknown
      expect(readRows(s.read, () => (spans = loadSpans(s.read, runs)))).toBe(false)
      expect(spans).toEqual(s.read.prepare(ROWS).all(JSON.stringify(runs)))
    }
    s.close()
  })

  it('keeps fractional times exact', () => {
    const s = store(true)
    let spans: SpanRow[] = []
    expect(readRows(s.read, () => (spans = loadSpans(s.read, ['a-run'])))).toBe(true)
    expect(spans).toEqual(s.read.prepare(ROWS).all(JSON.stringify(['a-run'])))
    expect(spans.some((x) => x.startMs === 1_030.25)).toBe(true)
    s.close()
  })
})
