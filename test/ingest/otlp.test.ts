import { readFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { writeBatch } from '../../src/core/ingest/otlp/batch'
import { mapOtlpRequest } from '../../src/core/ingest/otlp/map'
import { LineError } from '../../src/core/ingest/records'
import { tempDb } from '../helpers/temp'
import { FIXTURES, LOCAL_FIXTURES, checkingSink, importOk, query } from './ingest-helpers'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any
const json = (p: string): J => JSON.parse(readFileSync(p, 'utf8'))
const OTLP = `${FIXTURES}otlp/`
const GENAI = `${LOCAL_FIXTURES}otlp-genai-trace.json`
const CC_LOGS = `${LOCAL_FIXTURES}otlp-claude-code-logs.json`
const CC_METRICS = `${LOCAL_FIXTURES}otlp-claude-code-metrics.json`
const COLLECTOR = `${LOCAL_FIXTURES}otlp-collector-export.jsonl`

// Independent readers of the fixtures: plain walks over the OTLP/JSON structure.
const spansOf = (req: J): J[] => req.resourceSpans.flatMap((rs: J) => rs.scopeSpans.flatMap((ss: J) => ss.spans))
const logsOf = (req: J): J[] => req.resourceLogs.flatMap((rl: J) => rl.scopeLogs.flatMap((sl: J) => sl.logRecords))
const attr = (o: J, key: string): J => {
  const v = o.attributes?.find((a: J) => a.key === key)?.value
  return v ? (v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : v.doubleValue ?? v.boolValue)) : undefined
}
const nsToMs = (ns: string) => Number(BigInt(ns) / 1_000_000n)
/** Sample count by the documented rule: one per sum/gauge point; count, sum (+ min, max if present) per distribution point. */
function samplesOf(req: J): number {
  let n = 0
  for (const m of req.resourceMetrics.flatMap((rm: J) => rm.scopeMetrics.flatMap((sm: J) => sm.metrics))) {
    const scalar = m.sum ?? m.gauge
    if (scalar) n += scalar.dataPoints.length
    else for (const dp of (m.histogram ?? m.exponentialHistogram ?? m.summary).dataPoints) n += 2 + (dp.min !== undefined ? 1 : 0) + (dp.max !== undefined ? 1 : 0)
  }
  return n
}

async function importFiles(paths: string[]) {
  const db = tempDb()
  const core = createCore({ path: db })
  const result = await importOk(core, paths)
  return { db, core, result }
}

describe('OTLP/JSON', () => {
  it('imports the canonical opentelemetry-proto examples (traces, metrics, logs) into one service run', async () => {
    const trace = json(`${OTLP}opentelemetry-proto_examples_trace.json`)
    const logs = json(`${OTLP}opentelemetry-proto_examples_logs.json`)
    const metrics = json(`${OTLP}opentelemetry-proto_examples_metrics.json`)
    const { db, core, result } = await importFiles([OTLP])
    core.close()
    expect(result.skipped).toEqual([])
    expect(result.runs.map((r) => r.id)).toEqual(['otlp-my.service'])
    const run = result.runs[0]
    expect({ spans: run.spans, events: run.events, metrics: run.metricSamples }).toEqual({ spans: spansOf(trace).length, events: logsOf(logs).length, metrics: samplesOf(metrics) })
    const s = spansOf(trace)[0]
    const row = query<J>(db, 'SELECT id, parent_id, start_ms, end_ms, attrs FROM spans')[0]
    expect(row).toMatchObject({ id: s.spanId.toLowerCase(), parent_id: s.parentSpanId.toLowerCase(), start_ms: nsToMs(s.startTimeUnixNano), end_ms: nsToMs(s.endTimeUnixNano) })
    expect(JSON.parse(row.attrs)).toMatchObject({ 'my.span.attr': 'some value', 'otel.trace_id': s.traceId.toLowerCase() })
    const ev = JSON.parse(query<J>(db, 'SELECT attrs FROM events')[0].attrs)
    // int64 arrives as a string, arrays and maps as tagged values.
    expect(ev).toMatchObject({ 'int.attribute': 10, 'double.attribute': 637.704, 'array.attribute': ['many', 'values'], 'map.attribute': { 'some.map.key': 'some value' } })
  })

  it('maps GenAI semantic-convention spans to agents, LLM and tool calls, and drops message content', async () => {
    const req = json(GENAI)
    const spans = spansOf(req)
    const op = (s: J) => attr(s, 'gen_ai.operation.name')
    const chats = spans.filter((s) => op(s) === 'chat')
    const errors = spans.filter((s) => s.status?.code === 2 || s.status?.code === 'STATUS_CODE_ERROR').length
    const exceptions = spans.flatMap((s) => s.events ?? []).filter((e: J) => e.name === 'exception').length
    const { db, core, result } = await importFiles([GENAI])
    const run = result.runs[0]
    expect(run.id).toBe(`otlp-${attr(req.resourceSpans[0].resource, 'service.name')}@${attr(req.resourceSpans[0].resource, 'service.instance.id')}`)
    expect({ spans: run.spans, llmCalls: run.llmCalls, toolCalls: run.toolCalls, errors: run.errors, inputTokens: run.inputTokens, outputTokens: run.outputTokens }).toEqual({
      spans: spans.length,
      llmCalls: chats.length,
      toolCalls: spans.filter((s) => op(s) === 'execute_tool').length,
      errors: errors + exceptions,
      inputTokens: chats.reduce((n, s) => n + attr(s, 'gen_ai.usage.input_tokens'), 0),
      outputTokens: chats.reduce((n, s) => n + attr(s, 'gen_ai.usage.output_tokens'), 0),
    })
    // Agents nest as their invoke_agent spans do; work is attributed to the nearest agent above it.
    const agents = spans.filter((s) => op(s) === 'invoke_agent')
    const planner = attr(agents[0], 'gen_ai.agent.id')
    const researcher = attr(agents[1], 'gen_ai.agent.name')
    expect(query<J>(db, 'SELECT id, name, parent_agent_id FROM agents ORDER BY id')).toEqual([
      { id: planner, name: attr(agents[0], 'gen_ai.agent.name'), parent_agent_id: null },
      { id: researcher, name: researcher, parent_agent_id: planner },
    ])
    const overview = await core.call('runs.overview', { id: run.id })
    if (!overview.ok) throw new Error(overview.error.message)
    const underResearcher = (s: J) => s.parentSpanId === agents[1].spanId
    expect(Object.fromEntries(overview.data.agents.map((a) => [a.id, a.llmCalls]))).toEqual({
      [planner]: chats.filter((s) => s.parentSpanId === agents[0].spanId).length,
      [researcher]: chats.filter(underResearcher).length,
    })
    const webSearch = spans.find((s) => attr(s, 'gen_ai.tool.name') === 'web_search')
    expect(query<J>(db, 'SELECT agent_id, status, kind FROM spans WHERE id = ?', webSearch.spanId)).toEqual([{ agent_id: researcher, status: 'error', kind: 'tool' }])
    const firstChat = query<J>(db, 'SELECT model, name FROM spans WHERE id = ?', chats[0].spanId)[0]
    expect(firstChat.model).toBe(attr(chats[0], 'gen_ai.response.model'))
    const stored = query<J>(db, 'SELECT attrs FROM spans UNION ALL SELECT attrs FROM events').map((r) => r.attrs).join('\n')
    for (const secret of ['gen_ai.prompt', 'gen_ai.input.messages', 'gen_ai.tool.call.arguments', 'secret prompt text', 'Paris']) expect(stored).not.toContain(secret)
    core.close()
  })

  it("maps Claude Code's own telemetry: api_request and tool_result events to spans, metrics by session", async () => {
    const logs = logsOf(json(CC_LOGS))
    const byName = (n: string) => logs.filter((l) => l.body.stringValue === `claude_code.${n}`)
    const requests = byName('api_request')
    const tools = byName('tool_result')
    const sum = (k: string) => requests.reduce((n, l) => n + Number(attr(l, k)), 0)
    const session = attr(logs[0], 'session.id')
    const metrics = json(CC_METRICS)
    const { db, core, result } = await importFiles([CC_LOGS, CC_METRICS])
    core.close()
    expect(result.skipped).toEqual([])
    expect(result.runs.map((r) => r.id)).toEqual([`otlp-session-${session}`])
    const run = result.runs[0]
    expect({
      llmCalls: run.llmCalls, toolCalls: run.toolCalls, events: run.events, metrics: run.metricSamples, inputTokens: run.inputTokens, outputTokens: run.outputTokens,
      cacheReadTokens: run.cacheReadTokens, cacheCreationTokens: run.cacheCreationTokens, errors: run.errors,
    }).toEqual({
      llmCalls: requests.length, toolCalls: tools.length, events: logs.length, metrics: samplesOf(metrics), inputTokens: sum('input_tokens'), outputTokens: sum('output_tokens'),
      cacheReadTokens: sum('cache_read_tokens'), cacheCreationTokens: sum('cache_creation_tokens'),
      errors: tools.filter((l) => attr(l, 'success') !== 'true').length + byName('api_error').length,
    })
    expect(run.reportedCostUsd).toBeCloseTo(sum('cost_usd'), 10)
    const first = requests[0]
    expect(query<J>(db, "SELECT start_ms, end_ms, model FROM spans WHERE kind = 'llm' ORDER BY end_ms LIMIT 1")[0]).toEqual({
      start_ms: nsToMs(first.timeUnixNano) - Number(attr(first, 'duration_ms')), end_ms: nsToMs(first.timeUnixNano), model: attr(first, 'model'),
    })
    const labels = query<J>(db, 'SELECT DISTINCT labels FROM metric_samples').map((r) => JSON.parse(r.labels))
    expect(labels.every((l) => !('session.id' in l))).toBe(true)
    expect(labels.some((l) => l.type === 'cacheRead')).toBe(true)
    const stored = query<J>(db, 'SELECT attrs FROM events').map((r) => r.attrs).join('\n')
    expect(stored).not.toContain('refactor the billing module')
    expect(stored).not.toContain('rm -rf build')
  })

  it('reads collector file exports line by line and reports a bad line with its number', async () => {
    const lines = readFileSync(COLLECTOR, 'utf8').split('\n').filter(Boolean)
    const goodSpans = lines.flatMap((l) => {
      try {
        return spansOf(JSON.parse(l)).filter((s) => /^[0-9a-f]{16}$/i.test(s.spanId))
      } catch {
        return []
      }
    })
    const { db, core, result } = await importFiles([COLLECTOR])
    core.close()
    expect(result.skipped.map((s) => [s.line, s.reason.split(' (')[0]])).toEqual([
      [2, 'not valid JSON'],
      [3, 'span "bad id": spanId is not 16 hex digits'],
    ])
    expect(query<J>(db, 'SELECT COUNT(*) n FROM spans')[0].n).toBe(goodSpans.length)
  })

  it('is idempotent and pure: the same request maps to the same records and is never mutated', async () => {
    const deepFreeze = (o: J): J => {
      if (o && typeof o === 'object') {
        Object.freeze(o)
        for (const v of Object.values(o)) deepFreeze(v)
      }
      return o
    }
    for (const f of [GENAI, CC_LOGS, CC_METRICS]) {
      const req = deepFreeze(json(f))
      expect(mapOtlpRequest(req)).toEqual(mapOtlpRequest(json(f)))
    }
    const db = tempDb()
    const totals = () => query(db, 'SELECT (SELECT COUNT(*) FROM spans) s, (SELECT COUNT(*) FROM events) e, (SELECT COUNT(*) FROM metric_samples) m, (SELECT COUNT(*) FROM agents) a')
    let core = createCore({ path: db })
    await importOk(core, [LOCAL_FIXTURES, OTLP])
    core.close()
    const once = totals()
    // Forget what was read so every file is mapped and written again: the rows must not change.
    const w = new Database(db)
    w.exec('DELETE FROM imported_files')
    w.close()
    core = createCore({ path: db })
    await importOk(core, [LOCAL_FIXTURES, OTLP])
    core.close()
    expect(totals()).toEqual(once)
  })
})

describe('OTLP mapper under fuzzing', () => {
  const mapOrLineError = (v: unknown) => {
    try {
      const batch = mapOtlpRequest(v)
      writeBatch(checkingSink().sink, batch)
    } catch (e) {
      if (!(e instanceof LineError)) throw e
    }
  }

  it('arbitrary JSON values never crash it with anything but LineError', () => {
    fc.assert(fc.property(fc.jsonValue(), mapOrLineError), { numRuns: 1000 })
    fc.assert(
      fc.property(fc.constantFrom('resourceSpans', 'resourceMetrics', 'resourceLogs'), fc.array(fc.jsonValue()), (k, v) => mapOrLineError({ [k]: v })),
      { numRuns: 1000 },
    )
  })

  it('arbitrary mutations of real requests map to valid records or problems', () => {
    const docs = [GENAI, CC_LOGS, CC_METRICS, `${OTLP}opentelemetry-proto_examples_metrics.json`].map(json)
    const paths = (v: J, prefix: string[] = []): string[][] =>
      v && typeof v === 'object' ? [prefix, ...Object.keys(v).flatMap((k) => paths(v[k], [...prefix, k]))] : [prefix]
    const all = docs.map((d) => paths(d).filter((p) => p.length > 0))
    fc.assert(
      fc.property(fc.nat(docs.length - 1), fc.nat(), fc.oneof(fc.jsonValue(), fc.constantFrom('', '0', '-1', '99999999999999999999', 'NaN', 'ffffffffffffffff')), (d, pick, replacement) => {
        const doc = structuredClone(docs[d])
        const path = all[d][pick % all[d].length]
        let target = doc
        for (const k of path.slice(0, -1)) target = target[k]
        target[path[path.length - 1]] = replacement
        mapOrLineError(doc)
      }),
      { numRuns: 1000 },
    )
  })
})
