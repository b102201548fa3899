import { describe, expect, it } from 'vitest'
import { createWriter } from '../../src/core/ingest/writer'
import type { SpanRecord } from '../../src/core/ingest/records'
import { openStore } from '../../src/core/store/open'
import { tempDb } from '../helpers/temp'

// A span written again is merged into the stored row: times widen, the first tokens, cost and
// model stay, an error wins, attributes are patched. Agent spans already stored are merged by
// an UPDATE that leaves the start alone (and with it the spans_run_start index) unless the start
// moves earlier; any other span by the upsert. Both must store the same row.

const COLUMNS = 'parent_id, agent_id, kind, name, start_ms, end_ms, status, error, model, input_tokens, output_tokens, cost_usd, reported_cost_usd, attrs'

function storeWith(writes: SpanRecord[]) {
  const store = openStore({ path: tempDb() })
  const { sink } = createWriter(store.write, { contentPolicy: 'none', now: () => 1 })
  store.write.transaction(() => {
    sink.run({ id: 'r', source: 'test', format: 'test', name: 'r' })
    for (const w of writes) sink.span(w)
  })()
  const row = (id: string) => store.write.prepare(`SELECT ${COLUMNS} FROM spans WHERE run_id = 'r' AND id = ?`).get(id)
  // The index must hold each span under the start it has now, and nowhere else.
  const indexed = store.write.prepare(`SELECT id, start_ms FROM spans INDEXED BY spans_run_start WHERE run_id = 'r' ORDER BY id`).all()
  const integrity = store.write.pragma('integrity_check', { simple: true })
  return { row, indexed, integrity, close: () => store.close() }
}

const agentSpan = (over: Partial<SpanRecord>): SpanRecord => ({ runId: 'r', id: 'agent:a', agentId: 'a', kind: 'agent', name: 'a', ...over })

describe('a span written again', () => {
  const writes: [string, Partial<SpanRecord>][] = [
    ['first', { startMs: 100, endMs: 200, status: 'unset', attrs: { x: 1 } }],
    ['later end, same start', { startMs: 100, endMs: 300, status: 'ok', attrs: { y: 2 } }],
    ['later start, earlier end', { startMs: 150, endMs: 250, status: 'ok', model: 'm' }],
    ['no start', { startMs: null, endMs: 400, status: 'error', error: 'boom' }],
    ['earlier start', { startMs: 50, endMs: 100, status: 'ok', inputTokens: 5 }],
    ['no times', { status: 'ok', attrs: { x: 3 } }],
  ]

  it('is merged the same way for an agent span (kept start: in place) as for any other kind (upsert)', () => {
    // The same sequence as an agent span and, under another id, as a 'task' span that always takes the upsert.
    const asAgent = writes.map(([, w]) => agentSpan(w))
    const asTask = writes.map(([, w]) => ({ ...agentSpan(w), id: 'task:a', kind: 'task' as const }))
    const s = storeWith([...asAgent, ...asTask])
    try {
      const { kind: _k1, ...agent } = s.row('agent:a') as Record<string, unknown>
      const { kind: _k2, ...task } = s.row('task:a') as Record<string, unknown>
      expect(agent).toEqual(task)
      expect(agent).toMatchObject({ start_ms: 50, end_ms: 400, status: 'error', error: 'boom', model: 'm', input_tokens: 5, attrs: '{"x":3,"y":2}' })
      expect(s.indexed).toEqual([{ id: 'agent:a', start_ms: 50 }, { id: 'task:a', start_ms: 50 }])
      expect(s.integrity).toBe('ok')
    } finally {
      s.close()
    }
  })

  it('keeps every step the same for both ways', () => {
    for (let n = 1; n <= writes.length; n++) {
      const s = storeWith([...writes.slice(0, n).map(([, w]) => agentSpan(w)), ...writes.slice(0, n).map(([, w]) => ({ ...agentSpan(w), id: 'task:a', kind: 'task' as const }))])
      try {
        const { kind: _k1, ...agent } = s.row('agent:a') as Record<string, unknown>
        const { kind: _k2, ...task } = s.row('task:a') as Record<string, unknown>
        expect(agent, writes[n - 1][0]).toEqual(task)
        expect(s.integrity).toBe('ok')
      } finally {
        s.close()
      }
    }
  })
})
