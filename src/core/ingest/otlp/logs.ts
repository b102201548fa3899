import { createHash } from 'node:crypto'
import type { SpanRecord } from '../records'
import type { BatchBuilder } from './batch'
import { FieldError, int64, msOf, nanos, optHexId, optStr, type JsonPath } from './fields'
import { amountAttr, anyValue, attrsOf, countAttr, resourceOf, scopeNameOf, str, withoutContent } from './values'

const SEVERITY = ['trace', 'debug', 'info', 'warn', 'error', 'fatal']
/** severityNumber 1-24 in blocks of four (TRACE … FATAL), or its enum name (SEVERITY_NUMBER_WARN2); else the text. */
function severityOf(lr: Record<string, unknown>, at: JsonPath): string | null {
  const text = optStr(lr, 'severityText', at)?.toLowerCase().slice(0, 16) ?? null
  const named = typeof lr.severityNumber === 'string' ? /^SEVERITY_NUMBER_([A-Z]+)[234]?$/.exec(lr.severityNumber)?.[1].toLowerCase() : undefined
  if (named !== undefined) return SEVERITY.includes(named) ? named : text
  const n = int64(lr, 'severityNumber', at)
  return n !== null && n >= 1 && n <= 24 ? SEVERITY[Math.floor((n - 1) / 4)] : text
}

/** Claude Code's own agent: its telemetry has no agent ids, and its transcript importer names the main thread `main`. */
const CC_AGENT = 'main'
const CC_PREFIX = 'claude_code.'

/**
 * The event name: the record's eventName, an identifier-like body (Claude Code sends
 * `claude_code.api_request` as the body) or the `event.name` attribute, preferring a dotted
 * one; Claude Code's bare `event.name` values get their `claude_code.` prefix back.
 */
function eventNameOf(eventName: string | null, body: unknown, attrs: Record<string, unknown>, scope: string | null): string {
  const candidates = [eventName, typeof body === 'string' && /^[\w.-]{1,100}$/.test(body) ? body : null, str(attrs['event.name'])].filter((x): x is string => x !== null)
  const name = candidates.find((c) => c.includes('.')) ?? candidates[0] ?? 'log'
  return !name.includes('.') && scope?.includes('claude_code') ? `${CC_PREFIX}${name}` : name.slice(0, 120)
}

/** Log records → events; Claude Code's api_request and tool_result events also become llm and tool spans. */
export function mapLogs(b: BatchBuilder, req: Record<string, unknown>, spanAgents: Map<string, string>): void {
  b.each(req, ['resourceLogs'], [], () => null, (rl, at) => {
    const resource = resourceOf(rl, at)
    b.each(rl, ['scopeLogs', 'instrumentationLibraryLogs'], at, () => null, (sl, at) => {
      const scope = scopeNameOf(sl, at)
      b.each(sl, ['logRecords'], at, (_lr, i) => `log record ${i} of scope ${scope ?? '?'}`, (lr, at) => {
        const ts = msOf(nanos(lr, 'timeUnixNano', at)) ?? msOf(nanos(lr, 'observedTimeUnixNano', at))
        if (ts === null) throw new FieldError([...at, 'timeUnixNano'], 'no timeUnixNano')
        // Every field is checked before anything of the record is written.
        const attrs = attrsOf(lr, at)
        const name = eventNameOf(optStr(lr, 'eventName', at), anyValue(lr.body, [...at, 'body']), attrs, scope)
        const severity = ((level) => (name === `${CC_PREFIX}api_error` ? 'error' : level))(severityOf(lr, at))
        const spanId = optHexId(lr, 'spanId', 8, at)
        const traceId = optHexId(lr, 'traceId', 16, at)
        // The record itself is the identity: the same record sent twice (a retried export) is one event.
        const id = `log:${createHash('sha1').update(JSON.stringify(lr)).digest('hex').slice(0, 20)}`
        const isCc = name.startsWith(CC_PREFIX)
        const call = isCc ? claudeCodeCall(lr, attrs, at, id, name.slice(CC_PREFIX.length), ts) : null
        const runId = b.runFor(resource, attrs)
        const agentId = isCc ? CC_AGENT : ((spanId && spanAgents.get(spanId)) ?? str(attrs['gen_ai.agent.id']) ?? str(attrs['gen_ai.agent.name']))
        if (agentId) b.agent({ runId, id: agentId, name: isCc ? 'main' : null, type: isCc ? 'main' : null })
        b.batch.events.push({ runId, id, ts, name, severity, agentId, attrs: { ...withoutContent(attrs), spanId, traceId } })
        if (call) b.batch.spans.push({ ...call, runId })
      })
    })
  })
}

/**
 * Claude Code emits no spans without its beta tracing, but its events time every API request
 * and tool call (`duration_ms` before the event's time): enough to draw them as spans. A
 * negative duration or a token count that is no number leaves the whole record out.
 */
function claudeCodeCall(lr: Record<string, unknown>, a: Record<string, unknown>, at: JsonPath, eventId: string, event: string, ts: number): Omit<SpanRecord, 'runId'> | null {
  if (event !== 'api_request' && event !== 'tool_result') return null
  const duration = amountAttr(lr, a, 'duration_ms', at)
  const startMs = duration !== null ? Math.round(ts - duration) : ts
  const common = { agentId: CC_AGENT, startMs, endMs: ts, attrs: { durationMs: duration, 'event.sequence': a['event.sequence'] ?? null, 'prompt.id': a['prompt.id'] ?? null } }
  if (event === 'api_request') {
    const model = str(a.model)
    const tokens = (k: string) => countAttr(lr, a, k, at) ?? 0
    return {
      ...common, id: `cc-api:${eventId.slice(4)}`, kind: 'llm', name: model ?? 'llm', model, status: 'ok',
      inputTokens: tokens('input_tokens'), outputTokens: tokens('output_tokens'),
      cacheReadTokens: tokens('cache_read_tokens'), cacheCreationTokens: tokens('cache_creation_tokens'),
      reportedCostUsd: amountAttr(lr, a, 'cost_usd', at),
    }
  }
  const ok = a.success === true || a.success === 'true'
  return {
    ...common, id: `cc-tool:${eventId.slice(4)}`, kind: 'tool', name: str(a.tool_name) ?? 'tool',
    status: ok ? 'ok' : 'error', error: ok ? null : 'tool returned an error',
    attrs: { ...common.attrs, decision: str(a.decision), source: str(a.source) },
  }
}
