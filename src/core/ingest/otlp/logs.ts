import { createHash } from 'node:crypto'
import type { BatchBuilder } from './batch'
import { anyValue, arr, attrsOf, countOf, hexId, isObj, nanosToMs, numberOf, str, withoutContent } from './values'

const SEVERITY = ['trace', 'debug', 'info', 'warn', 'error', 'fatal']
/** severityNumber 1-24 in blocks of four: TRACE, DEBUG, INFO, WARN, ERROR, FATAL. */
function severityOf(lr: Record<string, unknown>): string | null {
  const n = numberOf(lr.severityNumber)
  if (n !== null && n >= 1 && n <= 24) return SEVERITY[Math.floor((n - 1) / 4)]
  return str(lr.severityText)?.toLowerCase().slice(0, 16) ?? null
}

/** Claude Code's own agent: its telemetry has no agent ids, and its transcript importer names the main thread `main`. */
const CC_AGENT = 'main'
const CC_PREFIX = 'claude_code.'

/**
 * The event name: the record's eventName, an identifier-like body (Claude Code sends
 * `claude_code.api_request` as the body) or the `event.name` attribute, preferring a dotted
 * one; Claude Code's bare `event.name` values get their `claude_code.` prefix back.
 */
function eventNameOf(lr: Record<string, unknown>, attrs: Record<string, unknown>, scope: string | null): string {
  const body = anyValue(lr.body)
  const candidates = [str(lr.eventName), typeof body === 'string' && /^[\w.-]{1,100}$/.test(body) ? body : null, str(attrs['event.name'])].filter((x): x is string => x !== null)
  const name = candidates.find((c) => c.includes('.')) ?? candidates[0] ?? 'log'
  return !name.includes('.') && scope?.includes('claude_code') ? `${CC_PREFIX}${name}` : name.slice(0, 120)
}

/** Log records → events; Claude Code's api_request and tool_result events also become llm and tool spans. */
export function mapLogs(b: BatchBuilder, resourceLogs: unknown, spanAgents: Map<string, string>): void {
  for (const rl of arr(resourceLogs)) {
    if (!isObj(rl)) continue
    const resource = isObj(rl.resource) ? attrsOf(rl.resource.attributes) : {}
    for (const sl of [...arr(rl.scopeLogs), ...arr(rl.instrumentationLibraryLogs)]) {
      if (!isObj(sl)) continue
      const scope = isObj(sl.scope) ? str(sl.scope.name) : null
      arr(sl.logRecords).forEach((lr, i) => {
        if (!isObj(lr)) return
        const ts = nanosToMs(lr.timeUnixNano) ?? nanosToMs(lr.observedTimeUnixNano)
        if (ts === null) return b.problem(`log record ${i} of scope ${scope ?? '?'}: no timeUnixNano`)
        const attrs = attrsOf(lr.attributes)
        const runId = b.runFor(resource, attrs)
        const name = eventNameOf(lr, attrs, scope)
        // The record itself is the identity: the same record sent twice (a retried export) is one event.
        const id = `log:${createHash('sha1').update(JSON.stringify(lr)).digest('hex').slice(0, 20)}`
        const spanId = hexId(lr.spanId, 8)
        const isCc = name.startsWith(CC_PREFIX)
        const agentId = isCc ? CC_AGENT : ((spanId && spanAgents.get(spanId)) ?? str(attrs['gen_ai.agent.id']) ?? str(attrs['gen_ai.agent.name']))
        if (agentId) b.agent({ runId, id: agentId, name: isCc ? 'main' : null, type: isCc ? 'main' : null })
        const severity = name === `${CC_PREFIX}api_error` ? 'error' : severityOf(lr)
        b.batch.events.push({ runId, id, ts, name, severity, agentId, attrs: { ...withoutContent(attrs), spanId, traceId: hexId(lr.traceId, 16) } })
        if (isCc) claudeCodeSpan(b, runId, id, name.slice(CC_PREFIX.length), ts, attrs)
      })
    }
  }
}

/**
 * Claude Code emits no spans without its beta tracing, but its events time every API request
 * and tool call (`duration_ms` before the event's time): enough to draw them as spans.
 */
function claudeCodeSpan(b: BatchBuilder, runId: string, eventId: string, event: string, ts: number, a: Record<string, unknown>): void {
  const duration = numberOf(a.duration_ms)
  const startMs = duration !== null && duration >= 0 ? Math.round(ts - duration) : ts
  const common = { runId, agentId: CC_AGENT, startMs, endMs: ts, attrs: { durationMs: duration, 'event.sequence': a['event.sequence'] ?? null, 'prompt.id': a['prompt.id'] ?? null } }
  if (event === 'api_request') {
    const model = str(a.model)
    b.batch.spans.push({
      ...common, id: `cc-api:${eventId.slice(4)}`, kind: 'llm', name: model ?? 'llm', model, status: 'ok',
      inputTokens: countOf(a.input_tokens) ?? 0, outputTokens: countOf(a.output_tokens) ?? 0,
      cacheReadTokens: countOf(a.cache_read_tokens) ?? 0, cacheCreationTokens: countOf(a.cache_creation_tokens) ?? 0,
      reportedCostUsd: numberOf(a.cost_usd),
    })
  } else if (event === 'tool_result') {
    const ok = a.success === true || a.success === 'true'
    b.batch.spans.push({
      ...common, id: `cc-tool:${eventId.slice(4)}`, kind: 'tool', name: str(a.tool_name) ?? 'tool',
      status: ok ? 'ok' : 'error', error: ok ? null : 'tool returned an error',
      attrs: { ...common.attrs, decision: str(a.decision), source: str(a.source) },
    })
  }
}
