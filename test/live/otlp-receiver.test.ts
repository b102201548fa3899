import { request } from 'node:http'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { startOtlpReceiver, type OtlpReceiver } from '../../src/server/otlp-receiver'
import { tempDir } from '../helpers/temp'
import { hrMs, sendTelemetry, type Encoding } from './fixtures/otel-clients'
import { rows, TOKEN } from './helpers'

let core: Core
let rx: OtlpReceiver
let dbPath: string
afterEach(async () => {
  await rx?.close()
  core?.close()
})

async function start(maxBodyBytes?: number) {
  dbPath = join(tempDir(), 'otlp.db')
  core = createCore({ path: dbPath })
  rx = await startOtlpReceiver({ core, token: TOKEN, port: 0, maxBodyBytes })
}

const SEVERITY = ['trace', 'debug', 'info', 'warn', 'error', 'fatal']
const json = (s: unknown) => JSON.parse(String(s)) as Record<string, unknown>

describe.each([
  ['json', false],
  ['protobuf', true],
] as [Encoding, boolean][])('OTLP/HTTP %s from the official exporters (gzip: %s)', (encoding, gzip) => {
  it('stores exactly the spans, span events, log records and metric points the SDK exported', async () => {
    await start()
    const service = `swarm-${encoding}`
    const sent = await sendTelemetry({ url: rx.url, token: TOKEN, encoding, service, spans: 30, logs: 10, gzip })
    expect(sent.results.every((c) => c === 0)).toBe(true)
    expect([sent.spans.length, sent.logs.length]).toEqual([60, 10])
    // forceFlush and shutdown each export the (cumulative) metrics once.
    expect(sent.metrics.length).toBeGreaterThanOrEqual(1)
    const runId = `otlp-${service}`

    const spans = rows(dbPath, 'SELECT * FROM spans WHERE run_id = ? ORDER BY id', runId)
    expect(spans).toHaveLength(sent.spans.length)
    const byId = new Map(spans.map((s) => [s.id, s]))
    for (const s of sent.spans) {
      const row = byId.get(s.spanContext().spanId)!
      const a = s.attributes
      const llm = a['gen_ai.operation.name'] === 'chat'
      expect(row).toMatchObject({
        kind: llm ? 'llm' : 'agent', name: llm ? a['gen_ai.request.model'] : s.name,
        start_ms: hrMs(s.startTime), end_ms: hrMs(s.endTime),
        status: ['unset', 'ok', 'error'][s.status.code], error: s.status.code === 2 ? s.status.message : null,
        input_tokens: llm ? a['gen_ai.usage.input_tokens'] : null, output_tokens: llm ? a['gen_ai.usage.output_tokens'] : null,
      })
      expect(json(row.attrs)).toMatchObject({ ...a, 'otel.trace_id': s.spanContext().traceId, 'otel.scope': 'swarm-test' })
    }
    const events = rows(dbPath, "SELECT * FROM events WHERE run_id = ? AND name = 'retry'", runId)
    const sentEvents = sent.spans.flatMap((s) => s.events.map((e, i) => ({ id: `${s.spanContext().spanId}:ev${i}`, ts: hrMs(e.time), attempt: e.attributes!.attempt })))
    expect(events).toHaveLength(30)
    expect(events.map((e) => ({ id: e.id, ts: e.ts, attempt: json(e.attrs).attempt })).sort((x, y) => String(x.id).localeCompare(String(y.id)))).toEqual(
      sentEvents.sort((x, y) => x.id.localeCompare(y.id)),
    )

    const logs = rows(dbPath, "SELECT * FROM events WHERE run_id = ? AND name = 'swarm.step' ORDER BY ts", runId)
    expect(logs.map((l) => ({ ts: l.ts, severity: l.severity, step: json(l.attrs).step, agent: l.agent_id }))).toEqual(
      sent.logs.map((l) => ({ ts: hrMs(l.hrTime), severity: SEVERITY[Math.floor((l.severityNumber! - 1) / 4)], step: l.attributes.step, agent: l.attributes['gen_ai.agent.name'] })),
    )

    const samples = rows(dbPath, 'SELECT name, value, labels, ts FROM metric_samples WHERE run_id = ?', runId)
    const expected: { name: string; value: number; labels: Record<string, string>; ts: number }[] = []
    for (const sm of sent.metrics.flatMap((m) => m.scopeMetrics)) {
      for (const m of sm.metrics) {
        for (const dp of m.dataPoints) {
          const labels = Object.fromEntries(Object.entries(dp.attributes).map(([k, v]) => [k, String(v)]))
          const ts = hrMs(dp.endTime)
          const v = dp.value as number | { count: number; sum?: number; min?: number; max?: number }
          if (typeof v === 'number') expected.push({ name: m.descriptor.name, value: v, labels, ts })
          else for (const k of ['count', 'sum', 'min', 'max'] as const) if (v[k] !== undefined) expected.push({ name: `${m.descriptor.name}.${k}`, value: v[k]!, labels, ts })
        }
      }
    }
    const norm = (xs: { name: unknown; value: unknown; labels: unknown; ts: unknown }[]) => xs.map((x) => `${x.name} ${x.value} ${typeof x.labels === 'string' ? x.labels : JSON.stringify(x.labels)} ${x.ts}`).sort()
    // A point exported twice with the same time is one sample (run, name, labels, time identify it).
    expect(norm(samples as never)).toEqual([...new Set(norm(expected))].sort())
    expect(samples.length).toBeGreaterThanOrEqual(8)
    // The numbers the test recorded, independently of the SDK's bookkeeping.
    const value = (name: string, label: string) => samples.find((s) => s.name === name && String(s.labels).includes(label))?.value
    expect([value('gen_ai.client.token.usage', 'input'), value('gen_ai.client.token.usage', 'output'), value('gen_ai.client.operation.duration.sum', 'claude'), value('swarm.queue.depth', 'tasks')]).toEqual([150, 45, 4.75, 7])

    const otlp = core.live.health().sources.find((s) => s.kind === 'otlp')!
    expect(otlp).toMatchObject({ state: 'listening', rejected: 0, dropped: 0, queueDepth: 0 })
  })
})

function post(port: number, path: string, body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks), headers: res.headers }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('OTLP/HTTP responses', () => {
  const span = (spanId: string) => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId, name: 'work', startTimeUnixNano: '1767261600000000000', endTimeUnixNano: '1767261601000000000' })
  const body = (spans: unknown[]) => JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'raw' } }] }, scopeSpans: [{ spans }] }] })
  const h = { 'content-type': 'application/json' }

  it('answers partial success for items it cannot use, 400 for bodies that do not decode, 415 and 401', async () => {
    await start()
    const partial = await post(rx.port, '/v1/traces', body([span('b7ad6b7169203331'), span('not-hex')]), h)
    expect(partial.status).toBe(200)
    expect(json(partial.body)).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: 'span "work": spanId is not 16 hex digits' } })
    expect(rows(dbPath, "SELECT id FROM spans WHERE run_id = 'otlp-raw'")).toEqual([{ id: 'b7ad6b7169203331' }])
    expect((await post(rx.port, '/v1/traces', '{"resourceSpans": [', h)).status).toBe(400)
    const badProto = await post(rx.port, '/v1/traces', Buffer.from([0x0a, 0xff, 0xff, 0x01]), { 'content-type': 'application/x-protobuf' })
    expect(badProto.status).toBe(400)
    expect(badProto.headers['content-type']).toBe('application/x-protobuf')
    const lastError = () => core.live.health().sources.find((s) => s.kind === 'otlp')!.lastError?.message
    expect(lastError()).toMatch(/^400: malformed protobuf traces request/)
    expect((await post(rx.port, '/v1/traces', 'x', { 'content-type': 'text/plain' })).status).toBe(415)
    // The latest refusal is the one health shows (it kept the protobuf error after later ones).
    expect(lastError()).toMatch(/^415: unsupported Content-Type text\/plain/)
    expect((await post(rx.port, '/v1/traces', body([]), { ...h, authorization: 'Bearer wrong' })).status).toBe(401)
    expect((await post(rx.port, '/v1/traces', '{}', h)).status).toBe(200)
    const otlp = core.live.health().sources.find((s) => s.kind === 'otlp')!
    expect(otlp.rejected).toBe(3)
  })

  it('takes a JSON body that starts with a byte order mark (a file PowerShell saved, posted with -InFile)', async () => {
    await start()
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body([span('c7ad6b7169203331')]))])
    const res = await post(rx.port, '/v1/traces', bom, h)
    // Before: 400 "malformed json traces request: Unexpected token".
    expect(res.status).toBe(200)
    expect(rows(dbPath, "SELECT id FROM spans WHERE run_id = 'otlp-raw'")).toEqual([{ id: 'c7ad6b7169203331' }])
  })

  it('refuses bodies over the limit with 413, compressed or not, and counts them as dropped', async () => {
    await start(64 * 1024)
    const spans = Array.from({ length: 1000 }, (_, i) => span((0x1000000000000000n + BigInt(i)).toString(16)))
    const big = body(spans)
    expect(big.length).toBeGreaterThan(64 * 1024)
    expect((await post(rx.port, '/v1/traces', big, h)).status).toBe(413)
    // Small on the wire, big once inflated: stopped while decompressing.
    const zipped = gzipSync(big)
    expect(zipped.length).toBeLessThan(64 * 1024)
    expect((await post(rx.port, '/v1/traces', zipped, { ...h, 'content-encoding': 'gzip' })).status).toBe(413)
    expect((await post(rx.port, '/v1/traces', gzipSync(body(spans.slice(0, 10))), { ...h, 'content-encoding': 'gzip' })).status).toBe(200)
    expect(core.live.health().sources.find((s) => s.kind === 'otlp')!.dropped).toBe(2)
    expect(rows(dbPath, "SELECT COUNT(*) AS n FROM spans WHERE run_id = 'otlp-raw'")).toEqual([{ n: 10 }])
  })
})
