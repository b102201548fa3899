import { NDJSON_VERSION } from '../ingest/ndjson/schema'
import type { RunData } from './load'

// Swarmscope NDJSON v1 (docs/formats/ndjson.md), written so that importing it gives the same
// numbers: every stored count, time and cost is written as stored (costUsd included, so the
// price table in force at re-import does not matter). Text is not part of the format.

const SEVERITIES = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal'])
/** The reader's length limits; longer names are cut (names are labels, not numbers). */
const cut = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s)
const nonEmpty = (o: Record<string, unknown>) => (Object.keys(o).length > 0 ? o : undefined)

/** Drops undefined and null fields, so a line carries only what is known. */
function line(o: Record<string, unknown>): string {
  return JSON.stringify(o, (_k, v: unknown) => (v === null ? undefined : v))
}

export function runToNdjson(d: RunData, first: boolean): string[] {
  const out: string[] = []
  out.push(line({ ...(first ? { v: NDJSON_VERSION } : {}), type: 'run', id: d.run.id, name: cut(d.run.name || d.run.id, 200), source: cut(d.run.source, 64), attrs: nonEmpty(d.run.attrs) }))
  for (const a of d.agents) {
    out.push(line({
      type: 'agent', runId: d.run.id, id: a.id, name: a.name ? cut(a.name, 200) : null, agentType: a.type ? cut(a.type, 100) : null,
      parentAgentId: a.parentAgentId, parentSpanId: a.parentSpanId, attrs: nonEmpty(a.attrs),
    }))
  }
  for (const s of d.spans) {
    out.push(line({
      type: 'span', runId: d.run.id, id: s.id, parentId: s.parentId, agentId: s.agentId, kind: s.kind, name: cut(s.name || s.kind, 500),
      start: s.startMs, end: s.endMs, status: s.status, error: s.error ? cut(s.error, 2000) : null, model: s.model ? cut(s.model, 200) : null,
      inputTokens: s.inputTokens, outputTokens: s.outputTokens, cacheReadTokens: s.cacheReadTokens, cacheCreationTokens: s.cacheCreationTokens,
      cacheCreation5mTokens: s.cacheCreation5mTokens, cacheCreation1hTokens: s.cacheCreation1hTokens,
      costUsd: s.costUsd, reportedCostUsd: s.reportedCostUsd, attrs: nonEmpty(s.attrs),
    }))
  }
  for (const e of d.events) {
    out.push(line({
      type: 'event', runId: d.run.id, id: e.id, ts: e.ts, name: cut(e.name || 'event', 200),
      severity: e.severity && SEVERITIES.has(e.severity) ? e.severity : null, agentId: e.agentId, attrs: nonEmpty(e.attrs),
    }))
  }
  for (const m of d.metrics) {
    out.push(line({ type: 'metric', runId: d.run.id, name: cut(m.name, 200), value: m.value, ts: m.ts, unit: m.unit ? cut(m.unit, 32) : null, labels: nonEmpty(m.labels), reported: m.reported || undefined }))
  }
  return out
}
