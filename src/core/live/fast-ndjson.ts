import { createHash } from 'node:crypto'
import { NDJSON_FORMAT, NDJSON_VERSION, parseNdjsonRecord, type NdjsonContext, type NdjsonRecord } from '../ingest/ndjson/schema'

// The WebSocket ingest validates every record; zod costs ~10 µs for a span, more than writing
// it. This checks the common, plainly valid shapes by hand and hands anything else (ISO time
// strings, nulls where only absence is allowed, errors of any kind) to parseNdjsonRecord, so
// results and error messages are exactly the file reader's. test/live/fast-ndjson.test.ts
// compares the two on generated records.

type Obj = Record<string, unknown>
const MISS = Symbol('miss')
type Out<T> = T | typeof MISS

const isPlain = (v: unknown): v is Obj => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype
const text = (v: unknown, max: number): Out<string | undefined> => (v === undefined ? undefined : typeof v === 'string' && v.length >= 1 && v.length <= max ? v : MISS)
/** `.nullish()`: null stays null, absence stays absent. */
const textN = (v: unknown, max: number): Out<string | null | undefined> => (v === null ? null : text(v, max))
const time = (v: unknown): Out<number | undefined> => (v === undefined ? undefined : typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 8.64e15 ? Math.round(v) : MISS)
const tokens = (v: unknown): Out<number | undefined> => (v === undefined ? undefined : typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : MISS)
const usd = (v: unknown): Out<number | undefined> => (v === undefined ? undefined : typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : MISS)
// A `__proto__` key (JSON.parse makes it an own property) is left to zod, whatever it makes of it.
const attrs = (v: unknown): Out<Obj | undefined> => (v === undefined ? undefined : isPlain(v) && !Object.hasOwn(v, '__proto__') ? v : MISS)
const oneOf = <T extends string>(v: unknown, set: ReadonlySet<string>): Out<T | undefined> => (v === undefined ? undefined : typeof v === 'string' && set.has(v) ? (v as T) : MISS)

const KINDS = new Set(['agent', 'llm', 'tool', 'task', 'other'])
const STATUSES = new Set(['ok', 'error', 'unset'])
const SEVERITIES = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal'])
const SPAN_NUMBERS = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheCreationTokens', 'cacheCreation5mTokens', 'cacheCreation1hTokens'] as const

/** Copies a field when present; false (MISS) means "let zod decide". No allocation: this runs per record. */
function set(out: Obj, key: string, v: unknown): boolean {
  if (v === MISS) return false
  if (v !== undefined) out[key] = v
  return true
}
const errorText = (v: unknown): Out<string | null | undefined> => (v === null ? null : v === undefined ? undefined : typeof v === 'string' && v.length <= 2000 ? v : MISS)
const unitText = (v: unknown): Out<string | null | undefined> => (v === null ? null : v === undefined ? undefined : typeof v === 'string' && v.length <= 32 ? v : MISS)
const bool = (v: unknown): Out<boolean | undefined> => (v === undefined ? undefined : typeof v === 'boolean' ? v : MISS)

function span(o: Obj, runId: string): NdjsonRecord | null {
  const r: Obj = { runId }
  if (
    !(set(r, 'id', text(o.id, 512)) && set(r, 'parentId', textN(o.parentId, 512)) && set(r, 'agentId', textN(o.agentId, 512)) && set(r, 'kind', oneOf(o.kind, KINDS)) &&
      set(r, 'name', text(o.name, 500)) && set(r, 'status', oneOf(o.status, STATUSES)) && set(r, 'error', errorText(o.error)) && set(r, 'model', textN(o.model, 200)) &&
      set(r, 'costUsd', usd(o.costUsd)) && set(r, 'reportedCostUsd', usd(o.reportedCostUsd)) && set(r, 'attrs', attrs(o.attrs)))
  ) return null
  for (const k of SPAN_NUMBERS) if (!set(r, k, tokens(o[k]))) return null
  const start = time(o.start)
  const end = time(o.end)
  if (r.id === undefined || r.kind === undefined || r.name === undefined || start === MISS || end === MISS) return null
  if (start !== undefined && end !== undefined && end < start) return null
  r.startMs = start ?? null
  r.endMs = end ?? null
  return { type: 'span', record: r as unknown as NdjsonSpan }
}

function fast(o: Obj, ctx: NdjsonContext): NdjsonRecord | null {
  if (o.v === undefined ? !ctx.versioned : o.v !== NDJSON_VERSION) return null
  const type = o.type
  if (type === 'run') {
    const f: Obj = {}
    if (!(set(f, 'id', text(o.id, 512)) && set(f, 'name', text(o.name, 200)) && set(f, 'source', text(o.source, 64)) && set(f, 'attrs', attrs(o.attrs))) || f.id === undefined) return null
    const id = f.id as string
    return { type: 'run', record: { id, source: (f.source as string) ?? 'ndjson', format: NDJSON_FORMAT, name: (f.name as string) ?? id, attrs: f.attrs as Obj | undefined } }
  }
  const runIdField = text(o.runId, 512)
  if (runIdField === MISS) return null
  const runId = runIdField ?? ctx.runId
  if (!runId) return null
  if (type === 'span') return span(o, runId)
  if (type === 'event') {
    const id = text(o.id, 512)
    const ts = time(o.ts)
    const name = text(o.name, 200)
    const severity = o.severity === null ? null : oneOf<string>(o.severity, SEVERITIES)
    const agentId = textN(o.agentId, 512)
    const a = attrs(o.attrs)
    if (id === MISS || ts === MISS || ts === undefined || name === MISS || name === undefined || severity === MISS || agentId === MISS || a === MISS) return null
    const eventId = id ?? `h:${createHash('sha1').update(JSON.stringify([runId, ts, name, agentId ?? null, a ?? null])).digest('hex').slice(0, 20)}`
    return { type: 'event', record: { runId, id: eventId, ts, name, severity, agentId, attrs: a } }
  }
  if (type === 'metric') {
    const labels = o.labels
    if (labels !== undefined && !(isPlain(labels) && Object.values(labels).every((x) => typeof x === 'string'))) return null
    const name = text(o.name, 200)
    const ts = time(o.ts)
    const unit = unitText(o.unit)
    const reported = bool(o.reported)
    const value = o.value
    if (name === MISS || name === undefined || ts === MISS || ts === undefined || unit === MISS || reported === MISS || typeof value !== 'number' || !Number.isFinite(value)) return null
    return { type: 'metric', record: { runId, name, unit, ts, value, labels: labels as Record<string, string> | undefined, reported } }
  }
  if (type === 'agent') {
    const f: Obj = {}
    if (
      !(set(f, 'id', text(o.id, 512)) && set(f, 'name', textN(o.name, 200)) && set(f, 'agentType', textN(o.agentType, 100)) && set(f, 'parentAgentId', textN(o.parentAgentId, 512)) &&
        set(f, 'parentSpanId', textN(o.parentSpanId, 512)) && set(f, 'attrs', attrs(o.attrs))) || f.id === undefined
    ) return null
    return {
      type: 'agent',
      record: { runId, id: f.id as string, name: f.name as string | null | undefined, type: f.agentType as string | null | undefined, parentAgentId: f.parentAgentId as string | null | undefined, parentSpanId: f.parentSpanId as string | null | undefined, attrs: f.attrs as Obj | undefined },
    }
  }
  return null
}

type NdjsonSpan = Extract<NdjsonRecord, { type: 'span' }>['record']

/** The fast path alone: null where it defers to zod (exported for its test). */
export const fastPathOf = (obj: unknown, ctx: NdjsonContext): NdjsonRecord | null => (isPlain(obj) ? fast(obj, ctx) : null)

/** Same contract as parseNdjsonRecord (throws NdjsonLineError), faster on plainly valid records. */
export function parseLiveRecord(obj: unknown, index: number, ctx: NdjsonContext): NdjsonRecord {
  return (isPlain(obj) && fast(obj, ctx)) || parseNdjsonRecord(obj, index, ctx)
}
