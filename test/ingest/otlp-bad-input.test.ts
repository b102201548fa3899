import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { linesOf } from '../../src/core/ingest/json-locate'
import { tempDir } from '../helpers/temp'
import { FIXTURES, LOCAL_FIXTURES, importOk, query, tableCounts } from './ingest-helpers'

// The importer's bad-input rule, for OTLP/JSON: a wrong type or an impossible time is listed as
// skipped with file, line and a reason naming the field; the good items of the same file still
// import; rows already stored are left as they were. Every request here is a real
// opentelemetry-proto example, changed in one place.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any
const OTLP = `${FIXTURES}otlp/`
const example = (signal: 'trace' | 'metrics' | 'logs'): J => JSON.parse(readFileSync(`${OTLP}opentelemetry-proto_examples_${signal}.json`, 'utf8'))
const firstSpan = (req: J): J => req.resourceSpans[0].scopeSpans[0].spans[0]
const metricsOf = (req: J): J[] => req.resourceMetrics[0].scopeMetrics[0].metrics
const nsToIso = (ns: string) => new Date(Number(BigInt(ns) / 1_000_000n)).toISOString()
/** 1-based number of the first line containing `needle`: the locator is checked against the file itself. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1

/** The trace example with a second span (its own id and times) beside the first. */
function twoSpans(): { req: J; other: J } {
  const req = example('trace')
  const other = { ...structuredClone(firstSpan(req)), spanId: 'AAAAAAAAAAAAAAA1', name: 'second', startTimeUnixNano: '1544712670000000000', endTimeUnixNano: '1544712671000000000' }
  req.resourceSpans[0].scopeSpans[0].spans.push(other)
  return { req, other }
}

async function importInto(db: string, path: string) {
  const core = createCore({ path: db })
  try {
    return await importOk(core, [path])
  } finally {
    core.close()
  }
}

function write(dir: string, name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('OTLP/JSON bad input', () => {
  it('skips a span that ends before it starts, naming the span, both times and the line; the other span imports', async () => {
    const dir = tempDir()
    const { req, other } = twoSpans()
    other.endTimeUnixNano = String(BigInt(other.startTimeUnixNano) - 10_000_000_000n)
    const text = JSON.stringify(req, null, 2)
    const file = write(dir, 'trace.json', text)
    const result = await importInto(join(dir, 'x.db'), file)
    expect(result.skipped).toEqual([{ file, line: lineOf(text, `"endTimeUnixNano": "${other.endTimeUnixNano}"`), reason: expect.stringMatching(/^span aaaaaaaaaaaaaaa1: .*endTimeUnixNano.*before.*startTimeUnixNano/) }])
    const reason = result.skipped[0].reason
    expect(reason).toContain(nsToIso(other.endTimeUnixNano))
    expect(reason).toContain(nsToIso(other.startTimeUnixNano))
    expect(reason).toContain('resourceSpans[0].scopeSpans[0].spans[1].endTimeUnixNano')
    expect(query(join(dir, 'x.db'), 'SELECT id, end_ms - start_ms AS ms FROM spans')).toEqual([{ id: firstSpan(req).spanId.toLowerCase(), ms: 1000 }])
    expect(result.runs[0].durationMs).toBeGreaterThanOrEqual(0)
  })

  // One mutation per line of a collector-style export (one request per line); each line also
  // holds a good span in a resource of its own, which must import whatever happens beside it.
  const wrongTypes: [string, (req: J) => void, RegExp][] = [
    ['start time not a number', (r) => (firstSpan(r).startTimeUnixNano = 'abc'), /startTimeUnixNano must be .*; got "abc"/],
    ['end time a boolean', (r) => (firstSpan(r).endTimeUnixNano = true), /endTimeUnixNano must be .*; got true/],
    ['negative start time', (r) => (firstSpan(r).startTimeUnixNano = -5), /startTimeUnixNano must be .*; got -5/],
    ['span id a number', (r) => (firstSpan(r).spanId = 123), /spanId is not 16 hex digits/],
    ['parent id not hex', (r) => (firstSpan(r).parentSpanId = 'xyz'), /parentSpanId is not 16 hex digits; got "xyz"/],
    ['trace id a number', (r) => (firstSpan(r).traceId = 42), /traceId is not 32 hex digits; got 42/],
    ['name a number', (r) => (firstSpan(r).name = 7), /name must be a string; got 7/],
    ['attributes not an array', (r) => (firstSpan(r).attributes = 'oops'), /attributes must be an array; got "oops"/],
    ['int attribute not a number', (r) => (firstSpan(r).attributes[0].value = { intValue: 'ten' }), /intValue must be an integer.*; got "ten"/],
    ['attribute value not an AnyValue', (r) => (firstSpan(r).attributes[0].value = 'plain'), /value must be an AnyValue object; got "plain"/],
    ['status a string', (r) => (firstSpan(r).status = 'error'), /status must be an object; got "error"/],
    ['status code unknown', (r) => (firstSpan(r).status = { code: 'BROKEN' }), /code must be a status code.*; got "BROKEN"/],
    ['token count not a count', (r) => firstSpan(r).attributes.push({ key: 'gen_ai.usage.input_tokens', value: { stringValue: 'many' } }), /gen_ai\.usage\.input_tokens must be a token count.*; got "many"/],
    ['spans not an array', (r) => (r.resourceSpans[0].scopeSpans[0].spans = 'oops'), /spans must be an array; got "oops"/],
    ['resource attributes an object', (r) => (r.resourceSpans[0].resource.attributes = {}), /attributes must be an array; got \{\}/],
  ]

  it('lists every wrong-typed field with its line and the field, and imports the good spans of the same lines', async () => {
    const dir = tempDir()
    const lines = wrongTypes.map(([, mutate], i) => {
      const req = example('trace')
      const good = structuredClone(req.resourceSpans[0])
      good.resource.attributes[0].value.stringValue = 'good.service'
      good.scopeSpans[0].spans[0].spanId = `000000000000aa${String(i).padStart(2, '0')}`
      req.resourceSpans.push(good)
      // Each mutation breaks resourceSpans[0], whose only span is then left out.
      mutate(req)
      return JSON.stringify(req)
    })
    const file = write(dir, 'export.jsonl', `${lines.join('\n')}\n`)
    const db = join(dir, 'x.db')
    const result = await importInto(db, file)
    for (const [i, [what, , reason]] of wrongTypes.entries()) {
      const entries = result.skipped.filter((s) => s.line === i + 1)
      expect(entries, what).toHaveLength(1)
      expect(entries[0], what).toEqual({ file, line: i + 1, reason: expect.stringMatching(reason) })
    }
    expect(result.skipped).toHaveLength(wrongTypes.length)
    // Per line, exactly the good span of the second resource.
    const goodSpans = query<{ id: string }>(db, "SELECT id FROM spans WHERE run_id = 'otlp-good.service' ORDER BY id").map((s) => s.id)
    expect(goodSpans).toEqual(wrongTypes.map((_, i) => `000000000000aa${String(i).padStart(2, '0')}`))
    expect(tableCounts(db).spans).toBe(wrongTypes.length)
  })

  it('refuses a request whose resourceSpans is not an array, with its line', async () => {
    const dir = tempDir()
    const text = `${JSON.stringify(example('trace'))}\n{"resourceSpans": "oops"}\n`
    const file = write(dir, 'two.jsonl', text)
    const result = await importInto(join(dir, 'x.db'), file)
    expect(result.skipped).toEqual([{ file, line: 2, reason: expect.stringMatching(/resourceSpans must be an array; got "oops"/) }])
    expect(result.runs.map((r) => r.spans)).toEqual([1])
  })

  it('lists wrong-typed log records and a Claude Code call with a negative duration by line; the other records import', async () => {
    const dir = tempDir()
    const req = example('logs')
    const records = req.resourceLogs[0].scopeLogs[0].logRecords
    const bad: [string, unknown][] = [['severityNumber', 'loud'], ['body', 'text'], ['spanId', 5]]
    for (const [field, value] of bad) records.push({ ...structuredClone(records[0]), [field]: value })
    const text = JSON.stringify(req, null, 2)
    const file = write(dir, 'logs.json', text)
    const result = await importInto(join(dir, 'a.db'), file)
    // The three copies are records 1-3; each bad value is the only one of its kind in the file.
    expect(result.skipped).toEqual(bad.map(([field, value], k) => ({
      file, line: lineOf(text, `"${field}": ${JSON.stringify(value)}`),
      reason: expect.stringMatching(new RegExp(`^log record ${k + 1} of scope my.library: ${field} (must be|is not) .*resourceLogs\\[0\\]\\.scopeLogs\\[0\\]\\.logRecords\\[${k + 1}\\]\\.${field}\\)$`)),
    })))
    expect(result.runs.map((r) => r.events)).toEqual([1])

    const cc = JSON.parse(readFileSync(`${LOCAL_FIXTURES}otlp-claude-code-logs.json`, 'utf8'))
    const ccRecords: J[] = cc.resourceLogs.flatMap((rl: J) => rl.scopeLogs.flatMap((sl: J) => sl.logRecords))
    const requests = ccRecords.filter((l) => l.body.stringValue === 'claude_code.api_request')
    requests[0].attributes.find((a: J) => a.key === 'duration_ms').value = { stringValue: '-2800' }
    const ccText = JSON.stringify(cc, null, 2)
    const ccFile = write(dir, 'cc.json', ccText)
    const ccResult = await importInto(join(dir, 'b.db'), ccFile)
    expect(ccResult.skipped).toEqual([{ file: ccFile, line: lineOf(ccText, '"stringValue": "-2800"'), reason: expect.stringMatching(/^log record \d+ of scope .*: attribute duration_ms must be a non-negative number; got "-2800"/) }])
    expect(ccResult.runs.map((r) => [r.llmCalls, r.events])).toEqual([[requests.length - 1, ccRecords.length - 1]])
  })

  it('reads NaN and ±Infinity as proto3 JSON doubles, and skips those points by name instead of storing them', async () => {
    const dir = tempDir()
    const req = example('metrics')
    const [counter, gauge, histogram] = metricsOf(req)
    const point = (m: J) => (m.sum ?? m.gauge ?? m.histogram).dataPoints[0]
    // A series holds one sample per time: each extra point is a second later than the one before.
    const extra = (v: unknown, s: number) => ({ ...structuredClone(point(gauge)), asDouble: v, timeUnixNano: String(BigInt(point(gauge).timeUnixNano) + BigInt(s) * 1_000_000_000n) })
    gauge.gauge.dataPoints.push(extra('Infinity', 1), extra('-Infinity', 2), extra('2.5', 3), extra(7, 4))
    point(counter).asDouble = 'NaN'
    point(histogram).sum = 'NaN'
    const text = JSON.stringify(req, null, 2)
    const file = write(dir, 'metrics.json', text)
    const db = join(dir, 'x.db')
    const result = await importInto(db, file)
    const at = (m: number, p: number, field: string) => `resourceMetrics[0].scopeMetrics[0].metrics[${m}].${m === 2 ? 'histogram' : m === 0 ? 'sum' : 'gauge'}.dataPoints[${p}].${field}`
    expect(result.skipped).toHaveLength(4)
    for (const [m, p, field, value] of [[1, 1, 'asDouble', 'Infinity'], [1, 2, 'asDouble', '-Infinity'], [0, 0, 'asDouble', 'NaN'], [2, 0, 'sum', 'NaN']] as const) {
      const name = metricsOf(req)[m].name
      const hit = result.skipped.find((s) => s.reason.includes(at(m, p, field)))
      expect(hit, `${name} ${p}`).toEqual({ file, line: lineOf(text, `"${field}": "${value}"`), reason: expect.stringMatching(new RegExp(`^metric ${escape(name)}: data point ${p}: ${field} is ${value}\\b`)) })
    }
    // Every stored value is finite, and the good points of the file (the gauge's first, "2.5" and 7, and the
    // exponential histogram's four samples) are all there.
    const rows = query<{ name: string; value: number }>(db, 'SELECT name, value FROM metric_samples ORDER BY name, value')
    expect(rows.every((r) => Number.isFinite(r.value))).toBe(true)
    expect(rows.filter((r) => r.name === 'my.gauge').map((r) => r.value)).toEqual([2.5, 7, point(gauge).asDouble])
    expect(rows.filter((r) => r.name.startsWith('my.exponential.histogram.'))).toHaveLength(4)
    expect(rows.filter((r) => r.name.startsWith('my.counter') || r.name.startsWith('my.histogram'))).toEqual([])
  })

  it('gives the line of a syntax error and of a bad data point in a pretty-printed file', async () => {
    const dir = tempDir()
    const good = JSON.stringify(example('trace'), null, 2)
    // Drop the comma after the span's name: the error is at the start of the next line.
    const nameLine = lineOf(good, '"name": "I\'m a server span"')
    const broken = good.split('\n').map((l, i) => (i + 1 === nameLine ? l.replace(/,$/, '') : l)).join('\n')
    const syntax = write(dir, 'broken.json', broken)
    expect((await importInto(join(dir, 'a.db'), syntax)).skipped).toEqual([{ file: syntax, line: nameLine + 1, reason: expect.stringMatching(/^not valid JSON \(/) }])

    const req = example('metrics')
    metricsOf(req)[3].exponentialHistogram.dataPoints[0].count = 'three'
    const text = JSON.stringify(req, null, 2)
    const file = write(dir, 'metrics.json', text)
    const result = await importInto(join(dir, 'b.db'), file)
    expect(result.skipped).toEqual([{
      file, line: lineOf(text, '"count": "three"'),
      reason: expect.stringMatching(/^metric my\.exponential\.histogram: data point 0: count must be .*resourceMetrics\[0\]\.scopeMetrics\[0\]\.metrics\[3\]\.exponentialHistogram\.dataPoints\[0\]\.count/),
    }])
  })

  it('reads the good lines of a collector export whose first line is cut off', async () => {
    const dir = tempDir()
    const lines = [0, 1, 2].map((i) => {
      const req = example('trace')
      firstSpan(req).spanId = `00000000000000b${i}`
      return JSON.stringify(req)
    })
    const file = write(dir, 'export.jsonl', `${lines[0].slice(0, 80)}\n${lines[1]}\n${lines[2]}\n`)
    const result = await importInto(join(dir, 'x.db'), file)
    expect(result.skipped).toEqual([{ file, line: 1, reason: expect.stringMatching(/^not valid JSON/) }])
    expect(query(join(dir, 'x.db'), 'SELECT id FROM spans ORDER BY id')).toEqual([{ id: '00000000000000b1' }, { id: '00000000000000b2' }])
  })

  it('leaves a store that already holds the run exactly as it was when a bad file names its span and metric', async () => {
    const dir = tempDir()
    const db = join(dir, 'x.db')
    await importInto(db, OTLP)
    const dump = () => ['runs', 'agents', 'spans', 'events', 'metric_samples'].map((t) => query(db, `SELECT * FROM ${t} ORDER BY 1, 2`))
    const before = dump()
    const counts = tableCounts(db)
    // A failed span of the same run whose start is not a time; the stored span again, now starting
    // 20 s earlier and ending 10 s before that; and the counter's point again as NaN.
    const trace = example('trace')
    const span = firstSpan(trace)
    const failed = { ...structuredClone(span), spanId: 'EEE19B7EC3C1B175', startTimeUnixNano: 'soon', status: { code: 2, message: 'boom' } }
    const moved = { ...structuredClone(span), startTimeUnixNano: String(BigInt(span.startTimeUnixNano) - 20_000_000_000n) }
    moved.endTimeUnixNano = String(BigInt(moved.startTimeUnixNano) - 10_000_000_000n)
    trace.resourceSpans[0].scopeSpans[0].spans = [failed, moved]
    const metrics = example('metrics')
    metrics.resourceMetrics[0].scopeMetrics[0].metrics = [metricsOf(metrics)[0]]
    metricsOf(metrics)[0].sum.dataPoints[0].asDouble = 'NaN'
    const bad = write(dir, 'bad.json', JSON.stringify({ ...trace, ...metrics }, null, 2))
    const result = await importInto(db, bad)
    expect(result.skipped.map((s) => [s.file, typeof s.line])).toEqual([[bad, 'number'], [bad, 'number'], [bad, 'number']])
    expect(tableCounts(db)).toEqual(counts)
    expect(dump()).toEqual(before)
  })
})

describe('the line of a field in a whole-file request', () => {
  it('is the line its value starts on, for any path into any JSON document, however indented (1,000 generated)', () => {
    type Path = (string | number)[]
    const pathsOf = (v: J, prefix: Path = []): Path[] =>
      [prefix, ...(v && typeof v === 'object' ? Object.keys(v).flatMap((k) => pathsOf(v[k], [...prefix, Array.isArray(v) ? Number(k) : k])) : [])]
    // The text before a value does not depend on the value: put a marker in its place and find the marker.
    const MARK = '\u0000mark'
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.constantFrom(0, 1, 2, '\t'), (doc, pick, indent) => {
        const paths = pathsOf(doc)
        const path = paths[pick % paths.length]
        let marked: J = MARK
        if (path.length > 0) {
          marked = structuredClone(doc)
          const parent = path.slice(0, -1).reduce((o: J, k) => o[k], marked)
          Object.defineProperty(parent, path[path.length - 1], { value: MARK, enumerable: true, writable: true, configurable: true })
        }
        const expected = lineOf(JSON.stringify(marked, null, indent), JSON.stringify(MARK))
        expect(linesOf(JSON.stringify(doc, null, indent), [path])).toEqual([expected])
      }),
      { numRuns: 1000 },
    )
  })
})

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
