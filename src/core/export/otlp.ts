import { createHash } from 'node:crypto'
import { VERSION } from '../../shared/version'
import type { RunData, StoredSpan } from './load'

// OTLP/JSON (opentelemetry-proto's JSON encoding) with the GenAI semantic conventions, so any
// OpenTelemetry backend, and Swarmscope's own OTLP reader, can take the runs. Ids become hex
// (trace id from the run, span ids from the stored ids); the originals stay as attributes.

const hex = (s: string, chars: number) => createHash('sha256').update(s).digest('hex').slice(0, chars)
const nanos = (ms: number | null) => (ms === null ? undefined : (BigInt(Math.round(ms)) * 1_000_000n).toString())

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean }
function value(v: unknown): AnyValue | null {
  if (typeof v === 'string') return { stringValue: v }
  if (typeof v === 'boolean') return { boolValue: v }
  if (typeof v === 'number' && Number.isFinite(v)) return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v }
  if (v !== null && v !== undefined) return { stringValue: JSON.stringify(v) }
  return null
}
function attributes(o: Record<string, unknown>) {
  return Object.entries(o).flatMap(([key, v]) => {
    const val = value(v)
    return val ? [{ key, value: val }] : []
  })
}

const OPERATION: Record<StoredSpan['kind'], string | null> = { agent: 'invoke_agent', llm: 'chat', tool: 'execute_tool', task: null, other: null }

function spanOf(runId: string, s: StoredSpan, agentName: (id: string | null) => string | null) {
  const op = OPERATION[s.kind]
  const attrs: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(s.attrs).filter(([k]) => !k.startsWith('gen_ai.') && !k.startsWith('otel.'))),
    'gen_ai.operation.name': op,
    'gen_ai.request.model': s.model,
    'gen_ai.response.model': s.model,
    'gen_ai.usage.input_tokens': s.inputTokens,
    'gen_ai.usage.output_tokens': s.outputTokens,
    'gen_ai.usage.cache_read.input_tokens': s.cacheReadTokens,
    'gen_ai.usage.cache_creation.input_tokens': s.cacheCreationTokens,
    'gen_ai.usage.cost': s.costUsd,
    'gen_ai.tool.name': s.kind === 'tool' ? s.name : null,
    'gen_ai.agent.id': s.agentId,
    'gen_ai.agent.name': s.kind === 'agent' ? agentName(s.agentId) : null,
    'swarmscope.span.id': s.id,
    'swarmscope.span.kind': s.kind,
    'error.type': s.status === 'error' ? (s.error ?? 'error') : null,
  }
  return {
    traceId: hex(runId, 32),
    spanId: hex(`${runId}\u0000${s.id}`, 16),
    parentSpanId: s.parentId ? hex(`${runId}\u0000${s.parentId}`, 16) : undefined,
    name: op ? `${op} ${s.kind === 'llm' ? (s.model ?? s.name) : s.name}` : s.name,
    kind: s.kind === 'llm' ? 3 : 1, // CLIENT for calls to a model API, INTERNAL otherwise
    startTimeUnixNano: nanos(s.startMs ?? s.endMs),
    endTimeUnixNano: nanos(s.endMs ?? s.startMs),
    attributes: attributes(attrs),
    status: s.status === 'unset' ? {} : s.status === 'ok' ? { code: 1 } : { code: 2, message: s.error ?? 'error' },
  }
}

/** One ExportTraceServiceRequest-shaped object per run, with its metrics as gauges. */
export function runToOtlp(d: RunData) {
  const names = new Map(d.agents.map((a) => [a.id, a.name]))
  const resource = {
    attributes: attributes({ 'service.name': d.run.source, 'service.version': VERSION, 'session.id': d.run.id, 'swarmscope.run.name': d.run.name, 'swarmscope.run.source': d.run.source }),
  }
  const scope = { name: 'swarmscope-export', version: VERSION }
  const byMetric = new Map<string, RunData['metrics']>()
  for (const m of d.metrics) byMetric.set(m.name, [...(byMetric.get(m.name) ?? []), m])
  return {
    resourceSpans: [{ resource, scopeSpans: [{ scope, spans: d.spans.filter((s) => s.startMs !== null || s.endMs !== null).map((s) => spanOf(d.run.id, s, (id) => (id ? (names.get(id) ?? id) : null))) }] }],
    resourceMetrics: byMetric.size === 0 ? [] : [{
      resource,
      scopeMetrics: [{
        scope,
        metrics: [...byMetric].map(([name, samples]) => ({
          name,
          unit: samples[0].unit ?? undefined,
          gauge: { dataPoints: samples.map((m) => ({ timeUnixNano: nanos(m.ts), asDouble: m.value, attributes: attributes(m.labels) })) },
        })),
      }],
    }],
  }
}
