import type { SpanKind } from '../../../shared/dto'
import { LineError, type SpanRecord } from '../records'
import { BatchBuilder, type OtlpBatch } from './batch'
import { mapLogs } from './logs'
import { mapMetrics } from './metrics'
import { arr, attrsOf, countOf, hexId, isObj, nanosToMs, numberOf, str, withoutContent } from './values'

export type { OtlpBatch } from './batch'

/**
 * Maps one OTLP/JSON export request (traces, metrics and/or logs) to Swarmscope records.
 * Pure: no I/O, the same request always gives the same records, so an OTLP/HTTP receiver can
 * call it per request and the file importer per file or per line. Throws LineError only when
 * the value is not an OTLP request at all; bad items inside are listed in `problems`.
 */
export function mapOtlpRequest(req: unknown): OtlpBatch {
  if (!isObj(req)) throw new LineError('not an OTLP request (expected a JSON object)')
  const keys = ['resourceSpans', 'resourceMetrics', 'resourceLogs'].filter((k) => Array.isArray(req[k]))
  if (keys.length === 0) throw new LineError('not an OTLP request (no resourceSpans, resourceMetrics or resourceLogs array)')
  const b = new BatchBuilder()
  const spanAgents = mapTraces(b, req.resourceSpans)
  mapLogs(b, req.resourceLogs, spanAgents)
  mapMetrics(b, req.resourceMetrics)
  return b.batch
}

// GenAI semantic conventions: gen_ai.operation.name, also the first word of the span name.
const AGENT_OPS = new Set(['invoke_agent', 'create_agent'])
const LLM_OPS = new Set(['chat', 'text_completion', 'generate_content', 'embeddings'])

function kindOf(op: string | null, attrs: Record<string, unknown>): SpanKind {
  if (op && AGENT_OPS.has(op)) return 'agent'
  if (op === 'execute_tool') return 'tool'
  if ((op && LLM_OPS.has(op)) || attrs['gen_ai.usage.input_tokens'] !== undefined) return 'llm'
  return 'other'
}

const STATUS: Record<string, 'ok' | 'error'> = { '1': 'ok', '2': 'error', STATUS_CODE_OK: 'ok', STATUS_CODE_ERROR: 'error' }

interface Pending {
  span: SpanRecord
  parentSpanId: string | null
  agentName: string | null
}

/** Spans, their events, and GenAI agents; returns span id → agent id for the logs that point at spans. */
function mapTraces(b: BatchBuilder, resourceSpans: unknown): Map<string, string> {
  const pending = new Map<string, Pending>()
  for (const rs of arr(resourceSpans)) {
    if (!isObj(rs)) continue
    const resource = isObj(rs.resource) ? attrsOf(rs.resource.attributes) : {}
    for (const ss of [...arr(rs.scopeSpans), ...arr(rs.instrumentationLibrarySpans)]) {
      if (!isObj(ss)) continue
      const scope = isObj(ss.scope) ? str(ss.scope.name) : null
      for (const s of arr(ss.spans)) {
        if (!isObj(s)) continue
        const spanId = hexId(s.spanId, 8)
        if (!spanId) {
          b.problem(`span "${String(s.name).slice(0, 60)}": spanId is not 16 hex digits`)
          continue
        }
        const attrs = attrsOf(s.attributes)
        const runId = b.runFor(resource, attrs)
        const name = str(s.name) ?? 'span'
        const op = str(attrs['gen_ai.operation.name']) ?? name.split(' ')[0]
        const kind = kindOf(op, attrs)
        const status = isObj(s.status) ? (STATUS[String(s.status.code)] ?? 'unset') : 'unset'
        const model = str(attrs['gen_ai.response.model']) ?? str(attrs['gen_ai.request.model'])
        const span: SpanRecord = {
          runId, id: spanId, parentId: hexId(s.parentSpanId, 8), kind,
          name: kind === 'tool' ? (str(attrs['gen_ai.tool.name']) ?? name) : kind === 'llm' ? (model ?? name) : name,
          startMs: nanosToMs(s.startTimeUnixNano), endMs: nanosToMs(s.endTimeUnixNano), status,
          error: status === 'error' ? ((isObj(s.status) && str(s.status.message)) || str(attrs['error.type']) || 'error') : null,
          model: kind === 'llm' ? model : null,
          inputTokens: countOf(attrs['gen_ai.usage.input_tokens']),
          outputTokens: countOf(attrs['gen_ai.usage.output_tokens']),
          cacheReadTokens: countOf(attrs['gen_ai.usage.cache_read.input_tokens'] ?? attrs['gen_ai.usage.cache_read_input_tokens']),
          cacheCreationTokens: countOf(attrs['gen_ai.usage.cache_creation.input_tokens'] ?? attrs['gen_ai.usage.cache_creation_input_tokens']),
          reportedCostUsd: numberOf(attrs['gen_ai.usage.cost']),
          attrs: { ...withoutContent(attrs), 'otel.trace_id': hexId(s.traceId, 16), 'otel.scope': scope },
        }
        const agentName = str(attrs['gen_ai.agent.id']) ?? str(attrs['gen_ai.agent.name'])
        pending.set(`${runId}\u0000${spanId}`, { span, parentSpanId: span.parentId ?? null, agentName: kind === 'agent' ? (agentName ?? `agent-${spanId}`) : agentName })
        arr(s.events).forEach((ev, i) => {
          const ts = isObj(ev) ? nanosToMs(ev.timeUnixNano) : null
          if (!isObj(ev) || ts === null) return b.problem(`span ${spanId}: event ${i} has no time`)
          const evName = str(ev.name) ?? 'event'
          b.batch.events.push({ runId, id: `${spanId}:ev${i}`, ts, name: evName, severity: evName === 'exception' ? 'error' : null, attrs: { spanId, ...withoutContent(attrsOf(ev.attributes)) } })
        })
      }
    }
  }
  return resolveAgents(b, pending)
}

/**
 * A span belongs to the agent of its nearest `invoke_agent` ancestor (itself included);
 * an agent's parent is the agent above that. Ancestors outside this request are unknown.
 */
function resolveAgents(b: BatchBuilder, pending: Map<string, Pending>): Map<string, string> {
  const agentOf = new Map<string, string | null>()
  const find = (key: string, depth = 0): string | null => {
    if (agentOf.has(key)) return agentOf.get(key)!
    const p = pending.get(key)
    if (!p || depth > 256) return null
    const own = p.span.kind === 'agent' ? p.agentName : null
    const found = own ?? (p.parentSpanId ? find(`${p.span.runId}\u0000${p.parentSpanId}`, depth + 1) : null) ?? p.agentName
    agentOf.set(key, found)
    return found
  }
  const bySpan = new Map<string, string>()
  for (const [key, p] of pending) {
    const agentId = find(key)
    p.span.agentId = agentId
    if (agentId) bySpan.set(p.span.id, agentId)
    if (p.span.kind === 'agent' && agentId) {
      const parent = p.parentSpanId ? find(`${p.span.runId}\u0000${p.parentSpanId}`) : null
      b.agent({
        runId: p.span.runId, id: agentId, name: str(p.span.attrs?.['gen_ai.agent.name']) ?? agentId, type: 'agent',
        parentAgentId: parent !== agentId ? parent : null, parentSpanId: p.parentSpanId,
        attrs: { 'gen_ai.system': p.span.attrs?.['gen_ai.system'] ?? p.span.attrs?.['gen_ai.provider.name'] ?? null },
      })
    } else if (agentId) b.agent({ runId: p.span.runId, id: agentId })
    b.batch.spans.push(p.span)
  }
  return bySpan
}
