import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import type { FileImportContext } from '../../src/core/ingest/formats'
import { ndjsonFormat } from '../../src/core/ingest/ndjson/format'
import { NdjsonLineError, parseNdjsonRecord } from '../../src/core/ingest/ndjson/schema'
import { LineError } from '../../src/core/ingest/records'
import { tempDb, tempDir } from '../helpers/temp'
import { FIXTURES, checkingSink, importOk, query, tableCounts } from './ingest-helpers'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any
const DOC = new URL('../../docs/formats/ndjson.md', import.meta.url).pathname

/** The example in the format's documentation: the test keeps the doc honest. */
function docExample(): string[] {
  const md = readFileSync(DOC, 'utf8')
  const block = /```ndjson\n([\s\S]*?)```/.exec(md)![1]
  return block.split('\n').filter(Boolean)
}

function writeLines(lines: string[], name = 'run.ndjson'): string {
  const file = join(tempDir(), name)
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''))
  return file
}

const toMs = (t: J) => (typeof t === 'number' ? t : Date.parse(t))

/** What the example must become, computed from its lines: spans repeated by id merge, times widen. */
function expectedFrom(lines: string[]) {
  const recs = lines.map((l) => JSON.parse(l))
  const spans = new Map<string, { start: number | null; end: number | null; input: number }>()
  for (const r of recs.filter((x) => x.type === 'span')) {
    const s = spans.get(r.id) ?? { start: null, end: null, input: 0 }
    if (r.start !== undefined) s.start = s.start === null ? toMs(r.start) : Math.min(s.start, toMs(r.start))
    if (r.end !== undefined) s.end = s.end === null ? toMs(r.end) : Math.max(s.end, toMs(r.end))
    s.input ||= r.inputTokens ?? 0
    spans.set(r.id, s)
  }
  return {
    runs: new Set(recs.filter((r) => r.type === 'run').map((r) => r.id)).size,
    agents: new Set(recs.filter((r) => r.type === 'agent').map((r) => r.id)).size,
    spans: spans.size,
    events: recs.filter((r) => r.type === 'event').length,
    metrics: recs.filter((r) => r.type === 'metric').length,
    inputTokens: [...spans.values()].reduce((n, s) => n + s.input, 0),
    spanBounds: spans,
  }
}

describe('Swarmscope NDJSON v1', () => {
  it('imports the documented example with counts computed from its lines', async () => {
    const lines = docExample()
    const file = writeLines(lines)
    const db = tempDb()
    const core = createCore({ path: db })
    const result = await importOk(core, [file])
    core.close()
    const want = expectedFrom(lines)
    expect(result.skipped).toEqual([])
    expect(result.runs).toHaveLength(want.runs)
    const run = result.runs[0]
    expect(run.id).toBe(JSON.parse(lines[0]).id)
    expect(run.name).toBe(JSON.parse(lines[0]).name)
    expect({ agents: run.agents, spans: run.spans, events: run.events, metrics: run.metricSamples, inputTokens: run.inputTokens }).toEqual({
      agents: want.agents, spans: want.spans, events: want.events, metrics: want.metrics, inputTokens: want.inputTokens,
    })
    for (const [id, b] of want.spanBounds) expect(query(db, 'SELECT start_ms s, end_ms e FROM spans WHERE id = ?', id)).toEqual([{ s: b.start, e: b.end }])
    expect(query(db, "SELECT parent_agent_id p FROM agents WHERE id = 'coder-1'")).toEqual([{ p: 'planner' }])
  })

  it('skips bad lines with their line number and a clear reason, and imports the good ones', async () => {
    const file = writeLines([
      '{"v":1,"type":"run","id":"r1"}',
      '{"type":"span","id":"s1","kind":"banana","name":"x"}',
      '{"type":"span","id":',
      '{"v":2,"type":"event","ts":1,"name":"e"}',
      '{"type":"metric","name":"m","value":"NaN","ts":1}',
      '{"type":"event","name":"no time"}',
      '{"type":"agent","id":"a1"}',
      '{"type":"hello"}',
      '[1,2]',
      '{"type":"span","id":"s2","kind":"llm","name":"m","start":10,"end":5}',
      '{"type":"event","ts":"yesterday","name":"e"}',
    ])
    appendFileSync(file, '{"type":"metric","name":"m","value":1')
    const db = tempDb()
    const core = createCore({ path: db })
    const result = await importOk(core, [file])
    core.close()
    expect(result.skipped.map((s) => [s.line, s.reason])).toEqual([
      [2, expect.stringMatching(/^span record: kind: .*"agent"\|"llm"\|"tool"\|"task"\|"other"/)],
      [3, expect.stringContaining('not valid JSON')],
      [4, expect.stringContaining('unsupported version "v": 2')],
      [5, expect.stringMatching(/^metric record: value: .*expected number/i)],
      [6, expect.stringMatching(/^event record: ts: /)],
      [8, expect.stringContaining('"type" must be one of run, agent, span, event, metric')],
      [9, 'expected a JSON object'],
      [10, 'span record: end is before start'],
      [11, expect.stringContaining('ISO 8601')],
      [12, expect.stringContaining('incomplete last line')],
    ])
    expect(tableCounts(db)).toMatchObject({ runs: 1, agents: 1, spans: 0, events: 0, metrics: 0 })
  })

  it('needs "v": 1 on every line when the first line does not carry it', async () => {
    const file = writeLines(['{"type":"run","id":"r2"}', '{"v":1,"type":"run","id":"r3"}', '{"type":"agent","id":"a","runId":"r3"}', '{"v":1,"type":"agent","id":"b"}'])
    const core = createCore({ path: tempDb() })
    // The first line has no "v", so the file is not recognised as NDJSON unless named explicitly…
    const result = await importOk(core, [file])
    core.close()
    expect(result.skipped.map((s) => s.line ?? s.reason)).toEqual([expect.stringContaining('unknown format')])
    // …and parsed record by record, each must then carry the version.
    expect(() => parseNdjsonRecord({ type: 'run', id: 'r' }, 1)).toThrow(/missing "v": 1/)
    expect(parseNdjsonRecord({ type: 'agent', id: 'b', v: 1 }, 2, { runId: 'r3' }).record).toMatchObject({ runId: 'r3', id: 'b' })
  })

  it('resumes a growing file from where the last import stopped, including a half-written last line', async () => {
    const lines = docExample()
    const whole = writeLines(lines, 'whole.ndjson')
    const dbWhole = tempDb()
    const c1 = createCore({ path: dbWhole })
    await importOk(c1, [whole])
    c1.close()

    const file = join(tempDir(), 'live.ndjson')
    writeFileSync(file, lines.slice(0, 4).map((l) => `${l}\n`).join('') + lines[4].slice(0, 30))
    const db = tempDb()
    const core = createCore({ path: db })
    const first = await importOk(core, [file])
    expect(first.skipped).toEqual([{ file, line: 5, reason: expect.stringContaining('incomplete last line') }])
    appendFileSync(file, lines[4].slice(30) + '\n' + lines.slice(5).map((l) => `${l}\n`).join(''))
    const second = await importOk(core, [file])
    core.close()
    expect(second.skipped).toEqual([])
    // Lines after the resume point have no runId: they still land in the run the first import saw.
    expect(tableCounts(db)).toEqual(tableCounts(dbWhole))
    expect(query(db, 'SELECT lines, offset FROM imported_files')).toEqual([{ lines: lines.length, offset: readFileSync(file).length }])
  })

  it('is idempotent, claims only its own files, and leaves unknown JSON alone', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'sub'))
    writeFileSync(join(dir, 'sub', 'stream.jsonl'), docExample().map((l) => `${l}\n`).join(''))
    writeFileSync(join(dir, 'sub', 'other.json'), '{"foo": 1}\n')
    writeFileSync(join(dir, 'sub', 'notes.ndjson'), '{"v":1,"type":"unknown"}\n')
    const db = tempDb()
    const core = createCore({ path: db })
    const first = await importOk(core, [dir, `${FIXTURES}claude-code-jsonl`, `${FIXTURES}claude-flow/v3.43_local-cli-run/mcp-ws`])
    const counts = tableCounts(db)
    await importOk(core, [dir])
    core.close()
    expect(first.skipped).toEqual([])
    expect(tableCounts(db)).toEqual(counts)
    const formats = query<J>(db, 'SELECT path, format FROM imported_files ORDER BY path')
    expect(formats.filter((f) => f.format === 'swarmscope-ndjson').map((f) => f.path)).toEqual([join(dir, 'sub', 'stream.jsonl')])
    expect(formats.filter((f) => f.path.includes('claude-code-jsonl')).every((f) => f.format === 'claude-code-jsonl')).toBe(true)
  })
})

describe('NDJSON parser under fuzzing', () => {
  const parseOrLineError = (v: unknown, ctx = { versioned: true, runId: 'r' }) => {
    try {
      const rec = parseNdjsonRecord(v, 1, ctx)
      const { sink } = checkingSink()
      if (rec.type === 'span') sink.span(rec.record)
      else if (rec.type === 'event') sink.event(rec.record)
      else if (rec.type === 'metric') sink.metric(rec.record)
      if (rec.type === 'span' && rec.record.startMs != null && rec.record.endMs != null) expect(rec.record.endMs).toBeGreaterThanOrEqual(rec.record.startMs)
    } catch (e) {
      if (!(e instanceof LineError)) throw e
      expect(e).toBeInstanceOf(NdjsonLineError)
      expect(e.message.length).toBeGreaterThan(0)
    }
  }

  it('arbitrary JSON values give a record or a LineError', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => parseOrLineError(v)), { numRuns: 1000 })
    fc.assert(fc.property(fc.jsonValue(), (v) => parseOrLineError(v, { versioned: false, runId: '' })), { numRuns: 1000 })
  })

  it('valid records with one field replaced give a record or a LineError', () => {
    const valid = docExample().map((l) => JSON.parse(l))
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.nat(), fc.oneof(fc.jsonValue(), fc.constantFrom(-1, 1e300, '2026-02-30T00:00:00Z', '', null)), (i, k, value) => {
        const rec = { ...valid[i] }
        const keys = [...Object.keys(rec), 'runId', 'extra']
        rec[keys[k % keys.length]] = value
        parseOrLineError(rec)
      }),
      { numRuns: 1000 },
    )
  })

  it('arbitrary file contents import without crashing; every problem is a reported line', async () => {
    const dir = tempDir()
    const valid = docExample()
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...valid), fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.constantFrom(...valid).map((l) => l.slice(0, l.length / 2)))), async (lines) => {
        const file = join(dir, `f${n++}.ndjson`)
        const text = [valid[0], ...lines].join('\n')
        writeFileSync(file, text)
        const skipped: (number | null)[] = []
        const ctx: FileImportContext = {
          path: file, size: Buffer.byteLength(text), sink: checkingSink().sink, resumeFrom: null, signal: new AbortController().signal,
          skip: (line) => skipped.push(line), progress: () => {},
        }
        const res = await ndjsonFormat.importFile(ctx)
        expect(res.lines).toBeLessThanOrEqual(lines.length + 1)
        expect(skipped.every((l) => l !== null && l >= 1 && l <= lines.length + 1)).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })
})
