import { SeverityNumber, SpanStatusCode } from '@opentelemetry/api'
import { JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufMetricsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs'
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mapOtlpRequest } from '../../src/core/ingest/otlp/map'
import { decodeOtlpProtobuf } from '../../src/core/live/otlp-protobuf'

// Our OTLP/protobuf request decoder against OpenTelemetry's own serializers: the same SDK
// data serialized as protobuf (decoded by us) and as JSON (parsed) must map to the same records.

const resource = resourceFromAttributes({ 'service.name': 'codec', 'service.instance.id': 'i-1' })
const json = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes)) as unknown
/**
 * A log event's id is a hash of the record as decoded, which differs between encodings (ints as
 * strings or numbers…); so do the ids of the spans derived from Claude Code's events. Retries of
 * the same request decode the same, which is what the ids are for.
 */
const withoutLogIds = (b: ReturnType<typeof mapOtlpRequest>) => ({
  ...b,
  events: b.events.map((e) => ({ ...e, id: e.id.replace(/^log:.*/, 'log') })),
  spans: b.spans.map((s) => ({ ...s, id: s.id.replace(/^(cc-api|cc-tool):.*/, '$1') })),
})

describe('OTLP/protobuf request decoding', () => {
  it('maps traces like the JSON encoding of the same spans', () => {
    const exporter = new InMemorySpanExporter()
    const provider = new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter })] })
    const tracer = provider.getTracer('codec-test', '2.0')
    for (let i = 0; i < 25; i++) {
      const parent = tracer.startSpan(`invoke_agent a${i % 4}`, { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.id': `a${i % 4}` } })
      const s = tracer.startSpan(i % 3 ? 'chat m' : 'execute_tool Read', { attributes: { 'gen_ai.operation.name': i % 3 ? 'chat' : 'execute_tool', 'gen_ai.tool.name': 'Read', 'gen_ai.request.model': 'claude-haiku-4-5', 'gen_ai.usage.input_tokens': i * 1000, neg: -i, huge: 2 ** 50 + i, f: i / 3, ok: !!(i % 2), list: ['x', i], nested: 'y'.repeat(i) } })
      s.addEvent('exception', { 'exception.type': 'E' })
      s.setStatus(i % 4 ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, message: 'bad' })
      s.end()
      parent.end()
    }
    const spans = exporter.getFinishedSpans()
    const fromProto = mapOtlpRequest(decodeOtlpProtobuf('traces', ProtobufTraceSerializer.serializeRequest(spans)!))
    expect(fromProto.spans).toHaveLength(50)
    expect(fromProto).toEqual(mapOtlpRequest(json(JsonTraceSerializer.serializeRequest(spans))))
  })

  it('maps logs and metrics like their JSON encodings', async () => {
    const logs = new InMemoryLogRecordExporter()
    const lp = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: logs })] })
    const logger = lp.getLogger('codec-test')
    for (let i = 0; i < 12; i++) logger.emit({ eventName: i % 2 ? 'claude_code.api_request' : undefined, body: i % 2 ? 'claude_code.api_request' : { k: [1, 'two'] }, severityNumber: (i % 24) + 1 as SeverityNumber, attributes: { 'session.id': 's-9', model: 'claude-sonnet-4-5', input_tokens: String(100 + i), duration_ms: 250 + i, cost_usd: 0.01 * i }, timestamp: 1767261600000 + i })
    const logRecords = logs.getFinishedLogRecords()
    const logsProto = mapOtlpRequest(decodeOtlpProtobuf('logs', ProtobufLogsSerializer.serializeRequest(logRecords)!))
    expect(logsProto.events).toHaveLength(12)
    expect(withoutLogIds(logsProto)).toEqual(withoutLogIds(mapOtlpRequest(json(JsonLogsSerializer.serializeRequest(logRecords)))))

    const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
    const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 60_000 })
    const mp = new MeterProvider({ resource, readers: [reader] })
    const meter = mp.getMeter('codec-test')
    meter.createCounter('c').add(5, { k: 'v' })
    meter.createUpDownCounter('ud').add(-3)
    meter.createHistogram('h', { unit: 'ms' }).record(12.5, { m: 'x' })
    meter.createGauge('g').record(2 ** 40)
    meter.createObservableGauge('og').addCallback((r) => r.observe(0.25, { z: 'q' }))
    await mp.forceFlush()
    const rm = metrics.getMetrics()[0]
    const metricsProto = mapOtlpRequest(decodeOtlpProtobuf('metrics', ProtobufMetricsSerializer.serializeRequest(rm)!))
    expect(metricsProto.metrics.map((m) => m.name).sort()).toEqual(['c', 'g', 'h.count', 'h.max', 'h.min', 'h.sum', 'og', 'ud'])
    expect(metricsProto).toEqual(mapOtlpRequest(json(JsonMetricsSerializer.serializeRequest(rm))))
    await mp.shutdown()
  })

  it('fails with an Error, never a hang or a crash, on random and truncated bytes', () => {
    const exporter = new InMemorySpanExporter()
    const provider = new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter })] })
    provider.getTracer('t').startSpan('s', { attributes: { a: 'b' } }).end()
    const valid = ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.nat(valid.length - 1).map((n) => valid.subarray(0, n))), fc.constantFrom('traces', 'metrics', 'logs') as fc.Arbitrary<'traces'>, (bytes, signal) => {
        try {
          const out = decodeOtlpProtobuf(signal, bytes)
          expect(typeof out).toBe('object')
        } catch (e) {
          expect(e).toBeInstanceOf(Error)
        }
      }),
      { numRuns: 3000 },
    )
  })
})
