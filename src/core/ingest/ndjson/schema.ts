import { createHash } from 'node:crypto'
import { z } from 'zod'
import { SpanKind } from '../../../shared/dto'
import { isObj, LineError, type AgentRecord, type EventRecord, type MetricRecord, type RunRecord, type SpanRecord } from '../records'

// Swarmscope NDJSON v1 (docs/formats/ndjson.md): one JSON object per line, mirroring
// records.ts. The same records arrive over the live WebSocket ingest, one per message.

export const NDJSON_VERSION = 1
export const NDJSON_FORMAT = 'swarmscope-ndjson'
export const RECORD_TYPES = ['run', 'agent', 'span', 'event', 'metric'] as const

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/
/** Date.parse rolls 2026-02-30 over into March; a writer sending that has a bug worth reporting. */
function realDay(iso: string): boolean {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number)
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate()
}

/** ISO 8601 date-time with a zone, or epoch milliseconds; one clear message for anything else. */
const Time = z.unknown().transform((v, ctx) => {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 8.64e15) return Math.round(v)
  const ms = typeof v === 'string' && ISO_DATE_TIME.test(v) && realDay(v) ? Date.parse(v) : NaN
  if (!Number.isNaN(ms)) return ms
  ctx.addIssue({ code: 'custom', message: `${v === undefined ? 'required: ' : ''}expected an ISO 8601 date-time with a zone (…Z) or epoch ms` })
  return z.NEVER
})
const Id = z.string().min(1).max(512)
const Text = (max: number) => z.string().min(1).max(max)
const Tokens = z.number().int().nonnegative()
const Usd = z.number().finite().nonnegative()
const Attrs = z.record(z.string(), z.unknown())
const common = { v: z.literal(NDJSON_VERSION).optional(), runId: Id.optional() }

const RunLine = z.object({ v: common.v, type: z.literal('run'), id: Id, name: Text(200).optional(), source: Text(64).optional(), attrs: Attrs.optional() })
const AgentLine = z.object({
  ...common, type: z.literal('agent'), id: Id, name: Text(200).nullish(), agentType: Text(100).nullish(),
  parentAgentId: Id.nullish(), parentSpanId: Id.nullish(), attrs: Attrs.optional(),
})
const SpanLine = z.object({
  ...common, type: z.literal('span'), id: Id, parentId: Id.nullish(), agentId: Id.nullish(), kind: SpanKind, name: Text(500),
  start: Time.optional(), end: Time.optional(), status: z.enum(['ok', 'error', 'unset']).optional(), error: z.string().max(2000).nullish(),
  model: Text(200).nullish(), inputTokens: Tokens.optional(), outputTokens: Tokens.optional(), cacheReadTokens: Tokens.optional(),
  cacheCreationTokens: Tokens.optional(), cacheCreation5mTokens: Tokens.optional(), cacheCreation1hTokens: Tokens.optional(),
  costUsd: Usd.optional(), reportedCostUsd: Usd.optional(), attrs: Attrs.optional(),
})
const EventLine = z.object({
  ...common, type: z.literal('event'), id: Id.optional(), ts: Time, name: Text(200),
  severity: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).nullish(), agentId: Id.nullish(), attrs: Attrs.optional(),
})
const MetricLine = z.object({
  ...common, type: z.literal('metric'), name: Text(200), value: z.number().finite(), ts: Time, unit: z.string().max(32).nullish(),
  labels: z.record(z.string(), z.string()).optional(), reported: z.boolean().optional(),
})
const Line = z.discriminatedUnion('type', [RunLine, AgentLine, SpanLine, EventLine, MetricLine])

export type NdjsonRecord =
  | { type: 'run'; record: RunRecord }
  | { type: 'agent'; record: AgentRecord }
  | { type: 'span'; record: SpanRecord }
  | { type: 'event'; record: EventRecord }
  | { type: 'metric'; record: MetricRecord }

export interface NdjsonContext {
  /** The run of records without `runId`: the latest `run` record of the stream. */
  runId?: string | null
  /** True once the stream's first record carried `"v": 1`; later records may then omit it. */
  versioned?: boolean
}

/** A bad record; `lineNo` is kept apart from the message, which the file importer prefixes with file and line itself. */
export class NdjsonLineError extends LineError {
  constructor(
    readonly lineNo: number,
    message: string,
  ) {
    super(message)
  }
}


/**
 * Validates one decoded NDJSON record and maps it to a record of the data model. Throws
 * NdjsonLineError (a LineError) with a message naming the field for anything invalid.
 */
export function parseNdjsonRecord(obj: unknown, lineNo: number, ctx: NdjsonContext = {}): NdjsonRecord {
  const fail = (msg: string): never => {
    throw new NdjsonLineError(lineNo, msg)
  }
  if (!isObj(obj)) return fail('expected a JSON object')
  if (obj.v !== undefined && obj.v !== NDJSON_VERSION) fail(`unsupported version "v": ${JSON.stringify(obj.v)?.slice(0, 20)}; this reader understands 1`)
  if (obj.v === undefined && !ctx.versioned) fail('missing "v": 1 (the first line must carry it, or every line)')
  if (typeof obj.type !== 'string' || !(RECORD_TYPES as readonly string[]).includes(obj.type)) {
    fail(`"type" must be one of ${RECORD_TYPES.join(', ')}; got ${JSON.stringify(obj.type)?.slice(0, 40) ?? 'nothing'}`)
  }
  const parsed = Line.safeParse(obj)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return fail(`${obj.type} record: ${issue.path.join('.') || 'record'}: ${issue.message}`)
  }
  const r = parsed.data
  if (r.type === 'run') return { type: 'run', record: { id: r.id, source: r.source ?? 'ndjson', format: NDJSON_FORMAT, name: r.name ?? r.id, attrs: r.attrs } }
  const runId = r.runId ?? ctx.runId ?? fail(`${r.type} record has no "runId" and no run record came before it`)
  switch (r.type) {
    case 'agent':
      return { type: 'agent', record: { runId, id: r.id, name: r.name, type: r.agentType, parentAgentId: r.parentAgentId, parentSpanId: r.parentSpanId, attrs: r.attrs } }
    case 'span': {
      if (r.start !== undefined && r.end !== undefined && r.end < r.start) fail('span record: end is before start')
      const { type: _t, v: _v, runId: _r, start, end, ...rest } = r
      return { type: 'span', record: { ...rest, runId, startMs: start ?? null, endMs: end ?? null } }
    }
    case 'event': {
      // Without an id, the record's content is its identity: re-sending it does not duplicate it.
      const id = r.id ?? `h:${createHash('sha1').update(JSON.stringify([runId, r.ts, r.name, r.agentId ?? null, r.attrs ?? null])).digest('hex').slice(0, 20)}`
      return { type: 'event', record: { runId, id, ts: r.ts, name: r.name, severity: r.severity, agentId: r.agentId, attrs: r.attrs } }
    }
    case 'metric':
      return { type: 'metric', record: { runId, name: r.name, unit: r.unit, ts: r.ts, value: r.value, labels: r.labels, reported: r.reported } }
  }
}
