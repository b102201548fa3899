import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateCorpus } from '../../bench/corpus/claude-code'
import { createBinder } from '../../src/core/ingest/bind'
import { importPaths } from '../../src/core/ingest/importer'
import { writeOrder } from '../../src/core/ingest/job-order'
import { recordingSink, SPAN_ORDER_WINDOW, type StreamEvent } from '../../src/core/ingest/record-stream'
import type { SpanRecord } from '../../src/core/ingest/records'
import { openStore } from '../../src/core/store/open'
import { refreshRunStats } from '../../src/core/store/run-stats'
import { SHOWCASE_MAIN, SIDECHAIN } from '../helpers/transcript-facts'
import { tempDb, tempDir } from '../helpers/temp'

// Where rows land in the B-trees (write order) is a matter of speed only: these tests hold the
// reordering to leaving every stored row and every run summary as they would otherwise be.

describe('write order of a folder’s files', () => {
  it('puts Claude Code sessions in id order, each with its subagent files in walk order, and leaves other files where they were', () => {
    const jobs = [
      'p1/bbbb.jsonl',
      'p1/bbbb/subagents/agent-2.jsonl',
      'p1/bbbb/subagents/agent-1.jsonl',
      'p1/notes.ndjson',
      'p2/aaaa/subagents/agent-9.jsonl',
      'p2/aaaa.jsonl',
      'otlp/traces.json',
      'p2/cccc.jsonl',
    ].map((path) => ({ path }))
    expect(writeOrder(jobs).map((j) => j.path)).toEqual([
      'p2/aaaa/subagents/agent-9.jsonl',
      'p2/aaaa.jsonl',
      'p1/bbbb.jsonl',
      'p1/notes.ndjson',
      'p1/bbbb/subagents/agent-2.jsonl',
      'p1/bbbb/subagents/agent-1.jsonl',
      'otlp/traces.json',
      'p2/cccc.jsonl',
    ])
  })
})

describe('span rows from the parse worker', () => {
  const span = (id: string, name = id): SpanRecord => ({ runId: 'r', id, kind: 'tool', name, startMs: 1 })
  const sinkInto = (events: StreamEvent[]) =>
    recordingSink('none', createBinder({ contentPolicy: 'none', now: () => 0 }), (e) => events.push(e))
  const ids = (events: StreamEvent[]) => events.filter((e) => e[0] === 'span').map((e) => `${(e[1] as unknown[])[1]}/${(e[1] as unknown[])[5]}`)

  it('come in key order, two rows of one span in the order they were made, and all before an endSpan that may update them', () => {
    const events: StreamEvent[] = []
    const sink = sinkInto(events)
    sink.run({ id: 'r', source: 'claude-code', format: 'claude-code-jsonl', name: 'r' })
    sink.span(span('tool:c'))
    sink.span(span('llm:b', 'first'))
    sink.span(span('agent:a'))
    sink.span(span('llm:b', 'second'))
    expect(events.map((e) => e[0])).toEqual(['run'])
    sink.endSpan({ runId: 'r', id: 'tool:c', endMs: 5, status: 'ok' })
    sink.span(span('tool:a'))
    sink.flush()
    expect(events.map((e) => e[0])).toEqual(['run', 'span', 'span', 'span', 'span', 'endSpan', 'span'])
    expect(ids(events)).toEqual(['agent:a/agent:a', 'llm:b/first', 'llm:b/second', 'tool:c/tool:c', 'tool:a/tool:a'])
  })

  it(`are held back ${SPAN_ORDER_WINDOW} at most`, () => {
    const events: StreamEvent[] = []
    const sink = sinkInto(events)
    for (let i = SPAN_ORDER_WINDOW; i > 0; i--) sink.span(span(`s${String(i).padStart(5, '0')}`))
    expect(events.length).toBe(SPAN_ORDER_WINDOW)
    expect(ids(events)[0]).toBe('s00001/s00001')
  })
})

describe('run summaries made as the import goes', () => {
  /** Every run's summary columns, and the same recomputed from scratch afterwards: they must be equal. */
  function summariesAndRecount(db: string) {
    const store = openStore({ path: db })
    try {
      const read = () => store.write.prepare('SELECT * FROM runs ORDER BY id').all()
      const before = read()
      const ids = store.write.prepare('SELECT id FROM runs').pluck().all() as string[]
      store.write.transaction(() => ids.forEach((id) => refreshRunStats(store.write, id)))()
      return { before, after: read(), store }
    } catch (e) {
      store.close()
      throw e
    }
  }

  it('match a recount after a folder of sessions with subagents and other formats', async () => {
    const dir = tempDir()
    generateCorpus(dir, 2 * 1024 * 1024)
    const db = tempDb()
    const store = openStore({ path: db })
    try {
      const r = await importPaths(store, { paths: [join(dir, 'projects'), SIDECHAIN] })
      expect(r.skipped).toEqual([])
      expect(r.runIds.length).toBeGreaterThan(5)
    } finally {
      store.close()
    }
    const { before, after, store: again } = summariesAndRecount(db)
    again.close()
    expect(before).toEqual(after)
  })

  it('are made again for a run that a later file feeds after its summary was made', async () => {
    // Three transcripts named as three sessions: the first and the last hold the two halves of
    // one session, the middle one another session. The first run is summed up once the writer
    // has moved on to the middle file; the last file then adds to it.
    const lines = readFileSync(SIDECHAIN, 'utf8').split('\n').filter(Boolean)
    const dir = tempDir()
    mkdirSync(join(dir, 'p'))
    const half = Math.floor(lines.length / 2)
    writeFileSync(join(dir, 'p', 'aaaa.jsonl'), lines.slice(0, half).join('\n') + '\n')
    writeFileSync(join(dir, 'p', 'bbbb.jsonl'), readFileSync(SHOWCASE_MAIN))
    writeFileSync(join(dir, 'p', 'cccc.jsonl'), lines.slice(half).join('\n') + '\n')
    const split = tempDb()
    const whole = tempDb()
    for (const [db, paths] of [[split, [join(dir, 'p')]], [whole, [SIDECHAIN, SHOWCASE_MAIN]]] as const) {
      const store = openStore({ path: db })
      try {
        await importPaths(store, { paths: [...paths] })
      } finally {
        store.close()
      }
    }
    const a = summariesAndRecount(split)
    a.store.close()
    expect(a.before).toEqual(a.after)
    const b = summariesAndRecount(whole)
    b.store.close()
    const figures = (rows: unknown[]) => rows.map((r) => {
      const { spans, llm_calls, tool_calls, input_tokens, output_tokens, cost_usd, started_at, ended_at } = r as Record<string, unknown>
      return { spans, llm_calls, tool_calls, input_tokens, output_tokens, cost_usd, started_at, ended_at }
    })
    expect(figures(a.before)).toEqual(figures(b.before))
    expect(a.before.length).toBe(2)
    expect((a.before as { spans: number }[]).every((r) => r.spans > 0)).toBe(true)
  })
})
