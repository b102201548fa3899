import type { AgentRecord, EventRecord, MetricRecord, RecordSink, RunRecord, SpanRecord } from '../records'
import { str } from './values'

/** What one OTLP request maps to. Plain data: a file importer and a live receiver both write it. */
export interface OtlpBatch {
  runs: RunRecord[]
  agents: AgentRecord[]
  spans: SpanRecord[]
  events: EventRecord[]
  metrics: MetricRecord[]
  /** Items left out (bad ids, no time…), one reason each; the rest of the request still maps. */
  problems: string[]
}

export const OTLP_FORMAT = 'otlp-json'

/**
 * Collects records and decides each record's run: the `session.id` attribute when the record
 * or its resource has one (Claude Code puts it on every data point and event), otherwise
 * service.name + service.instance.id of the resource.
 */
export class BatchBuilder {
  readonly batch: OtlpBatch = { runs: [], agents: [], spans: [], events: [], metrics: [], problems: [] }
  private readonly runs = new Map<string, RunRecord>()
  private readonly agents = new Map<string, AgentRecord>()

  runFor(resource: Record<string, unknown>, attrs: Record<string, unknown>): string {
    const service = str(resource['service.name']) ?? 'unknown_service'
    const instance = str(resource['service.instance.id'])
    const session = str(attrs['session.id']) ?? str(resource['session.id'])
    const id = session ? `otlp-session-${session}` : `otlp-${service}${instance ? `@${instance}` : ''}`
    if (!this.runs.has(id)) {
      const suffix = session ?? instance
      const run: RunRecord = {
        id, source: 'otlp', format: OTLP_FORMAT, name: suffix ? `${service} · ${suffix.slice(0, 8)}` : service,
        attrs: { 'service.name': service, 'service.version': str(resource['service.version']), 'service.instance.id': instance, 'session.id': session },
      }
      this.runs.set(id, run)
      this.batch.runs.push(run)
    }
    return id
  }

  /** Adds an agent once; a later, fuller sighting fills what an earlier one left out. */
  agent(a: AgentRecord): void {
    const key = `${a.runId}\u0000${a.id}`
    const seen = this.agents.get(key)
    if (!seen) {
      this.agents.set(key, a)
      this.batch.agents.push(a)
      return
    }
    for (const k of ['name', 'type', 'parentAgentId', 'parentSpanId', 'attrs'] as const) if (seen[k] == null && a[k] != null) Object.assign(seen, { [k]: a[k] })
  }

  problem(reason: string): void {
    this.batch.problems.push(reason)
  }
}

/** Writes a batch in the order the store's foreign keys need: runs first. */
export function writeBatch(sink: RecordSink, b: OtlpBatch): void {
  for (const r of b.runs) sink.run(r)
  for (const a of b.agents) sink.agent(a)
  for (const s of b.spans) sink.span(s)
  for (const e of b.events) sink.event(e)
  for (const m of b.metrics) sink.metric(m)
}
