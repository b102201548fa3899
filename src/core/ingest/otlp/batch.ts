import type { AgentRecord, EventRecord, MetricRecord, RecordSink, RunRecord, SpanRecord } from '../records'
import { FieldError, list, objectAt, type JsonPath } from './fields'
import { str } from './values'

/** What one OTLP request maps to. Plain data: a file importer and a live receiver both write it. */
export interface OtlpBatch {
  runs: RunRecord[]
  agents: AgentRecord[]
  spans: SpanRecord[]
  events: EventRecord[]
  metrics: MetricRecord[]
  /** Items left out (bad ids, wrong types, impossible times…), one reason each; the rest of the request still maps. */
  problems: string[]
  /** Where in the request each problem is (same index): the file importer turns it into a line. */
  problemPaths: JsonPath[]
}

export const OTLP_FORMAT = 'otlp-json'

/**
 * Collects records and decides each record's run: the `session.id` attribute when the record
 * or its resource has one (Claude Code puts it on every data point and event), otherwise
 * service.name + service.instance.id of the resource.
 */
export class BatchBuilder {
  readonly batch: OtlpBatch = { runs: [], agents: [], spans: [], events: [], metrics: [], problems: [], problemPaths: [] }
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

  problem(path: JsonPath, reason: string): void {
    this.batch.problems.push(reason)
    this.batch.problemPaths.push(path)
  }

  /**
   * Maps each item of the lists `o[keys…]`. Every list is type-checked before the first item
   * maps, so a bad sibling list cannot leave its parent half written. An item with a bad field
   * (FieldError) is left out whole and listed once, named by `subject`; the others still map.
   * `fn` must therefore check an item's fields before it writes anything of it.
   */
  each(
    o: Record<string, unknown>, keys: string[], at: JsonPath, subject: (item: unknown, i: number) => string | null,
    fn: (item: Record<string, unknown>, at: JsonPath, i: number) => void,
  ): void {
    const lists = keys.map((k) => list(o, k, at))
    lists.forEach((items, l) => {
      for (let i = 0; i < items.length; i++) {
        const here = [...at, keys[l], i]
        try {
          fn(objectAt(items[i], here), here, i)
        } catch (e) {
          if (!(e instanceof FieldError)) throw e
          const who = subject(items[i], i)
          this.problem(e.path, who ? `${who}: ${e.message}` : e.message)
        }
      }
    })
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
