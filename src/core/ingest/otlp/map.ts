import type { SpanKind } from '../../../shared/dto'
import { LineError, type SpanRecord } from '../records'
import { BatchBuilder, type OtlpBatch } from './batch'
import { FieldError, absent, got, isoOf, list, msOf, nanos, optHexId, optObj, optStr, type JsonPath } from './fields'
import { mapLogs } from './logs'
import { mapMetrics } from './metrics'
import { amountAttr, attrsOf, countAttr, hexId, isObj, resourceOf, scopeNameOf, str, withoutContent } from './values'

export type { OtlpBatch } from './batch'

const SIGNALS = ['resourceSpans', 'resourceMetrics', 'resourceLogs'] as const

/**
 * Maps one OTLP/JSON export request (traces, metrics and/or logs) to Swarmscope records.
 * Pure: no I/O, the same request always gives the same records, so an OTLP/HTTP receiver can
 * call it per request and the file importer per file or per line. Throws LineError only when
 * the value is not an OTLP request at all; bad items inside are listed in `problems`.
 */
export function mapOtlpRequest(req: unknown): OtlpBatch {
  if (!isObj(req)) throw new LineError('not an OTLP request (expected a JSON object)')
  const present = SIGNALS.filter((k) => !absent(req[k]))
  const notLists = present.filter((k) => !Array.isArray(req[k]))
  if (notLists.length === present.length) {
    const k = notLists[0]
    if (k) throw new FieldError([k], `not an OTLP request: ${k} must be an array${got(req[k])}`)
    throw new LineError('not an OTLP request (no resourceSpans, resourceMetrics or resourceLogs array)')
  }
  const b = new BatchBuilder()
  for (const k of notLists) b.problem([k], `${k} must be an array${got(req[k])}`)
  const has = (k: (typeof SIGNALS)[number]) => Array.isArray(req[k])
  const spanAgents = has('resourceSpans') ? mapTraces(b, req) : new Map<string, string>()
  if (has('resourceLogs')) mapLogs(b, req, spanAgents)
  if (has('resourceMetrics')) mapMetrics(b, req)
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

// Status codes as integers (the OTLP/JSON rule) or enum names; an unknown integer is an open enum's "unset".
const STATUS = new Map<unknown, 'ok' | 'error' | 'unset'>([[0, 'unset'], [1, 'ok'], [2, 'error'], ['0', 'unset'], ['1', 'ok'], ['2', 'error'],
  ['STATUS_CODE_UNSET', 'unset'], ['STATUS_CODE_OK', 'ok'], ['STATUS_CODE_ERROR', 'error']])

function statusOf(s: Record<string, unknown>, at: JsonPath): { status: 'ok' | 'error' | 'unset'; message: string | null } {
  const st = optObj(s, 'status', at)
  if (!st) return { status: 'unset', message: null }
  const where = [...at, 'status']
  const code = st.code
  const status = absent(code) ? 'unset' : (STATUS.get(code) ?? (Number.isInteger(code) ? 'unset' : null))
  if (!status) throw new FieldError([...where, 'code'], `code must be a status code (0, 1, 2 or STATUS_CODE_…)${got(code)}`)
  return { status, message: optStr(st, 'message', where) }
}

interface Pending {
  span: SpanRecord
  parentSpanId: string | null
  agentName: string | null
}

/** A span is named by its id when it has a good one, else by its name (what the user can search for). */
function spanSubject(s: unknown): string | null {
  if (!isObj(s)) return null
  const id = hexId(s.spanId, 8)
  return id ? `span ${id}` : `span "${String(s.name).slice(0, 60)}"`
}

/** Spans, their events, and GenAI agents; returns span id → agent id for the logs that point at spans. */
function mapTraces(b: BatchBuilder, req: Record<string, unknown>): Map<string, string> {
  const pending = new Map<string, Pending>()
  b.each(req, ['resourceSpans'], [], () => null, (rs, at) => {
    const resource = resourceOf(rs, at)
    b.each(rs, ['scopeSpans', 'instrumentationLibrarySpans'], at, () => null, (ss, at) => {
      const scope = scopeNameOf(ss, at)
      b.each(ss, ['spans'], at, spanSubject, (s, at) => mapSpan(b, s, at, resource, scope, pending))
    })
  })
  return resolveAgents(b, pending)
}

/** Checks every field the span's record is made of, then writes it: a bad span is left out whole. */
function mapSpan(b: BatchBuilder, s: Record<string, unknown>, at: JsonPath, resource: Record<string, unknown>, scope: string | null, pending: Map<string, Pending>): void {
  const spanId = hexId(s.spanId, 8)
  if (!spanId) throw new FieldError([...at, 'spanId'], 'spanId is not 16 hex digits')
  const start = nanos(s, 'startTimeUnixNano', at)
  const end = nanos(s, 'endTimeUnixNano', at)
  // Left out rather than stored without an end: a span with no end reads as still running or
  // never closed (the analysis counts it as open), which this one is not; its times are what a
  // profiler measures, and a re-sent copy must not merge into a span already stored.
  if (start !== null && end !== null && end < start) {
    throw new FieldError([...at, 'endTimeUnixNano'], `endTimeUnixNano ${isoOf(end)} is before startTimeUnixNano ${isoOf(start)}`)
  }
  const attrs = attrsOf(s, at)
  const name = optStr(s, 'name', at) ?? 'span'
  const { status, message } = statusOf(s, at)
  const parentId = optHexId(s, 'parentSpanId', 8, at)
  const traceId = optHexId(s, 'traceId', 16, at)
  const events = list(s, 'events', at)
  const op = str(attrs['gen_ai.operation.name']) ?? name.split(' ')[0]
  const kind = kindOf(op, attrs)
  const model = str(attrs['gen_ai.response.model']) ?? str(attrs['gen_ai.request.model'])
  const count = (key: string) => countAttr(s, attrs, key, at)
  const usage = {
    inputTokens: count('gen_ai.usage.input_tokens'),
    outputTokens: count('gen_ai.usage.output_tokens'),
    cacheReadTokens: count('gen_ai.usage.cache_read.input_tokens') ?? count('gen_ai.usage.cache_read_input_tokens'),
    cacheCreationTokens: count('gen_ai.usage.cache_creation.input_tokens') ?? count('gen_ai.usage.cache_creation_input_tokens'),
    reportedCostUsd: amountAttr(s, attrs, 'gen_ai.usage.cost', at),
  }
  const runId = b.runFor(resource, attrs)
  const span: SpanRecord = {
    runId, id: spanId, parentId, kind,
    name: kind === 'tool' ? (str(attrs['gen_ai.tool.name']) ?? name) : kind === 'llm' ? (model ?? name) : name,
    startMs: msOf(start), endMs: msOf(end), status,
    error: status === 'error' ? (message || str(attrs['error.type']) || 'error') : null,
    model: kind === 'llm' ? model : null,
    ...usage,
    attrs: { ...withoutContent(attrs), 'otel.trace_id': traceId, 'otel.scope': scope },
  }
  const agentName = str(attrs['gen_ai.agent.id']) ?? str(attrs['gen_ai.agent.name'])
  pending.set(`${runId}\u0000${spanId}`, { span, parentSpanId: parentId, agentName: kind === 'agent' ? (agentName ?? `agent-${spanId}`) : agentName })
  // A bad event is listed on its own; the span keeps the others.
  if (events.length > 0) b.each(s, ['events'], at, (_ev, i) => `span ${spanId}: event ${i}`, (ev, at, i) => {
    const ts = msOf(nanos(ev, 'timeUnixNano', at))
    if (ts === null) throw new FieldError([...at, 'timeUnixNano'], 'no timeUnixNano')
    const evName = optStr(ev, 'name', at) ?? 'event'
    const evAttrs = withoutContent(attrsOf(ev, at))
    b.batch.events.push({ runId, id: `${spanId}:ev${i}`, ts, name: evName, severity: evName === 'exception' ? 'error' : null, attrs: { spanId, ...evAttrs } })
  })
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
