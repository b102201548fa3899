import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace'

// Sends `spans` small GenAI spans through the official OTLP/protobuf exporter, in `lanes`
// parallel SDK pipelines that each flush a batch of `batch` spans and wait for its answer
// before the next (so `lanes` requests are in flight), and prints how long it took and how
// many exports failed.
const o = { lanes: 4, batch: 1024, ...JSON.parse(process.argv[2]) } as { url: string; token: string; spans: number; service: string; lanes: number; batch: number }
let failed = 0

async function lane(index: number, spans: number) {
  const inner = new OTLPTraceExporter({ url: `${o.url}/v1/traces`, headers: { authorization: `Bearer ${o.token}` }, timeoutMillis: 60_000 })
  const exporter: SpanExporter = {
    export: (s, done) => inner.export(s, (r) => ((failed += r.code), done(r))),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush(),
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': o.service, 'service.instance.id': `lane-${index}` }),
    spanProcessors: [new BatchSpanProcessor({ exporter, maxQueueSize: o.batch * 2, maxExportBatchSize: o.batch, scheduledDelayMillis: 60_000 })],
  })
  const tracer = provider.getTracer('bench')
  for (let i = 0; i < spans; i++) {
    tracer.startSpan('chat claude-sonnet-4-5', { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'claude-sonnet-4-5', 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 20 } }).end()
    if ((i + 1) % o.batch === 0) await provider.forceFlush()
  }
  await provider.forceFlush()
  await provider.shutdown()
}

const started = performance.now()
await Promise.all(Array.from({ length: o.lanes }, (_, i) => lane(i, Math.floor(o.spans / o.lanes) + (i < o.spans % o.lanes ? 1 : 0))))
console.log(JSON.stringify({ ms: performance.now() - started, failed }))
