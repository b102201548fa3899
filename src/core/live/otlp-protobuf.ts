// OTLP/protobuf export requests → the OTLP/JSON shape mapOtlpRequest reads (ids as hex,
// 64-bit integers as decimal strings, AnyValue as tagged objects). Field numbers are those of
// opentelemetry-proto v1 (collector/{trace,metrics,logs}/v1, trace/metrics/logs/common/resource
// v1). Only what the mapper reads is decoded; everything else (links, exemplars, buckets…) is
// skipped by wire type, as protobuf readers skip unknown fields. The otlp-transformer package
// ships serializers but no request decoder, hence this one.

type Kind = 'string' | 'hex' | 'base64' | 'fixed64' | 'sfixed64' | 'double' | 'uint' | 'int64' | 'bool' | 'fixed32'
interface Field {
  name: string
  kind: Kind | Schema
  repeated?: boolean
}
interface Schema {
  [field: number]: Field
}

const f = (name: string, kind: Kind | Schema, repeated = false): Field => ({ name, kind, repeated })

// AnyValue and KeyValue refer to each other: filled in below.
const AnyValue: Schema = {}
const KeyValue: Schema = { 1: f('key', 'string'), 2: f('value', AnyValue) }
const KeyValueList: Schema = { 1: f('values', KeyValue, true) }
const ArrayValue: Schema = { 1: f('values', AnyValue, true) }
Object.assign(AnyValue, {
  1: f('stringValue', 'string'), 2: f('boolValue', 'bool'), 3: f('intValue', 'int64'), 4: f('doubleValue', 'double'),
  5: f('arrayValue', ArrayValue), 6: f('kvlistValue', KeyValueList), 7: f('bytesValue', 'base64'),
})
const attributes = (n: number): Schema => ({ [n]: f('attributes', KeyValue, true) })
const Resource: Schema = { ...attributes(1), 2: f('droppedAttributesCount', 'uint') }
const Scope: Schema = { 1: f('name', 'string'), 2: f('version', 'string'), ...attributes(3) }

const SpanEvent: Schema = { 1: f('timeUnixNano', 'fixed64'), 2: f('name', 'string'), ...attributes(3) }
const Status: Schema = { 2: f('message', 'string'), 3: f('code', 'uint') }
const Span: Schema = {
  1: f('traceId', 'hex'), 2: f('spanId', 'hex'), 3: f('traceState', 'string'), 4: f('parentSpanId', 'hex'), 5: f('name', 'string'),
  6: f('kind', 'uint'), 7: f('startTimeUnixNano', 'fixed64'), 8: f('endTimeUnixNano', 'fixed64'), ...attributes(9),
  11: f('events', SpanEvent, true), 15: f('status', Status), 16: f('flags', 'fixed32'),
}
const ScopeSpans: Schema = { 1: f('scope', Scope), 2: f('spans', Span, true), 3: f('schemaUrl', 'string') }
const ResourceSpans: Schema = { 1: f('resource', Resource), 2: f('scopeSpans', ScopeSpans, true), 3: f('schemaUrl', 'string') }

const NumberDataPoint: Schema = { ...attributes(7), 2: f('startTimeUnixNano', 'fixed64'), 3: f('timeUnixNano', 'fixed64'), 4: f('asDouble', 'double'), 6: f('asInt', 'sfixed64'), 8: f('flags', 'uint') }
const HistogramDataPoint: Schema = {
  ...attributes(9), 2: f('startTimeUnixNano', 'fixed64'), 3: f('timeUnixNano', 'fixed64'), 4: f('count', 'fixed64'), 5: f('sum', 'double'),
  10: f('flags', 'uint'), 11: f('min', 'double'), 12: f('max', 'double'),
}
const ExpHistogramDataPoint: Schema = {
  ...attributes(1), 2: f('startTimeUnixNano', 'fixed64'), 3: f('timeUnixNano', 'fixed64'), 4: f('count', 'fixed64'), 5: f('sum', 'double'),
  7: f('zeroCount', 'fixed64'), 10: f('flags', 'uint'), 12: f('min', 'double'), 13: f('max', 'double'),
}
const SummaryDataPoint: Schema = { ...attributes(7), 2: f('startTimeUnixNano', 'fixed64'), 3: f('timeUnixNano', 'fixed64'), 4: f('count', 'fixed64'), 5: f('sum', 'double'), 8: f('flags', 'uint') }
const points = (p: Schema): Schema => ({ 1: f('dataPoints', p, true), 2: f('aggregationTemporality', 'uint'), 3: f('isMonotonic', 'bool') })
const Metric: Schema = {
  1: f('name', 'string'), 2: f('description', 'string'), 3: f('unit', 'string'), 5: f('gauge', points(NumberDataPoint)), 7: f('sum', points(NumberDataPoint)),
  9: f('histogram', points(HistogramDataPoint)), 10: f('exponentialHistogram', points(ExpHistogramDataPoint)), 11: f('summary', points(SummaryDataPoint)),
}
const ScopeMetrics: Schema = { 1: f('scope', Scope), 2: f('metrics', Metric, true), 3: f('schemaUrl', 'string') }
const ResourceMetrics: Schema = { 1: f('resource', Resource), 2: f('scopeMetrics', ScopeMetrics, true), 3: f('schemaUrl', 'string') }

const LogRecord: Schema = {
  1: f('timeUnixNano', 'fixed64'), 11: f('observedTimeUnixNano', 'fixed64'), 2: f('severityNumber', 'uint'), 3: f('severityText', 'string'),
  5: f('body', AnyValue), ...attributes(6), 8: f('flags', 'fixed32'), 9: f('traceId', 'hex'), 10: f('spanId', 'hex'), 12: f('eventName', 'string'),
}
const ScopeLogs: Schema = { 1: f('scope', Scope), 2: f('logRecords', LogRecord, true), 3: f('schemaUrl', 'string') }
const ResourceLogs: Schema = { 1: f('resource', Resource), 2: f('scopeLogs', ScopeLogs, true), 3: f('schemaUrl', 'string') }

export type OtlpSignal = 'traces' | 'metrics' | 'logs'
const REQUESTS: Record<OtlpSignal, Schema> = {
  traces: { 1: f('resourceSpans', ResourceSpans, true) },
  metrics: { 1: f('resourceMetrics', ResourceMetrics, true) },
  logs: { 1: f('resourceLogs', ResourceLogs, true) },
}

const WIRE: Record<Kind, number> = { string: 2, hex: 2, base64: 2, fixed64: 1, sfixed64: 1, double: 1, uint: 0, int64: 0, bool: 0, fixed32: 5 }
const MAX_DEPTH = 32

class Reader {
  pos = 0
  private readonly view: DataView
  /** The same bytes as a Buffer: its utf8/hex slicing is faster than TextDecoder for short strings, and copies nothing. */
  readonly buf: Buffer
  constructor(bytes: Uint8Array) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }
  /** A length-delimited field's [start, end) without making a view of it. */
  range(): [number, number] {
    const len = this.small()
    if (this.pos + len > this.buf.length) throw new Error(`truncated field: ${len} bytes announced, ${this.buf.length - this.pos} left`)
    this.pos += len
    return [this.pos - len, this.pos]
  }
  varint(): bigint {
    let result = 0n
    let shift = 0n
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint')
      const b = this.buf[this.pos++]
      result |= BigInt(b & 0x7f) << shift
      if ((b & 0x80) === 0) return result
      shift += 7n
    }
    throw new Error('varint longer than 10 bytes')
  }
  /** Varints of 32 bits or less (tags, lengths, enums) without BigInt: the hot path. */
  small(): number {
    let result = 0
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint')
      const b = this.buf[this.pos++]
      result += (b & 0x7f) * 2 ** shift
      if ((b & 0x80) === 0) return result
    }
    this.pos -= 5
    return Number(BigInt.asUintN(64, this.varint()))
  }
  bytes(): Uint8Array {
    const len = this.small()
    if (this.pos + len > this.buf.length) throw new Error(`truncated field: ${len} bytes announced, ${this.buf.length - this.pos} left`)
    const out = this.buf.subarray(this.pos, this.pos + len)
    this.pos += len
    return out
  }
  fixed(n: 4 | 8): number {
    if (this.pos + n > this.buf.length) throw new Error('truncated fixed-width field')
    this.pos += n
    return this.pos - n
  }
  u64(): string {
    return this.view.getBigUint64(this.fixed(8), true).toString()
  }
  i64(): string {
    return this.view.getBigInt64(this.fixed(8), true).toString()
  }
  f64(): number {
    return this.view.getFloat64(this.fixed(8), true)
  }
  u32(): number {
    return this.view.getUint32(this.fixed(4), true)
  }
  skip(wire: number): void {
    if (wire === 0) this.varint()
    else if (wire === 1) this.fixed(8)
    else if (wire === 2) this.bytes()
    else if (wire === 5) this.fixed(4)
    else throw new Error(`unsupported wire type ${wire}`)
  }
}

function value(r: Reader, kind: Kind): unknown {
  switch (kind) {
    case 'string': return r.buf.toString('utf8', ...r.range())
    case 'hex': return r.buf.toString('hex', ...r.range())
    case 'base64': return r.buf.toString('base64', ...r.range())
    case 'fixed64': return r.u64()
    case 'sfixed64': return r.i64()
    case 'double': return r.f64()
    case 'fixed32': return r.u32()
    case 'uint': return r.small()
    case 'int64': return BigInt.asIntN(64, r.varint()).toString()
    case 'bool': return r.varint() !== 0n
  }
}

function message(buf: Uint8Array, schema: Schema, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new Error('message nested too deeply')
  const r = new Reader(buf)
  const out: Record<string, unknown> = {}
  while (r.pos < buf.length) {
    const tag = r.small()
    const field = schema[Math.floor(tag / 8)]
    const wire = tag & 7
    const expected = field ? (typeof field.kind === 'string' ? WIRE[field.kind] : 2) : -1
    if (!field || wire !== expected) {
      r.skip(wire)
      continue
    }
    const v = typeof field.kind === 'string' ? value(r, field.kind) : message(r.bytes(), field.kind, depth + 1)
    if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(v)
    else out[field.name] = v
  }
  return out
}

/** Decodes an Export{Trace,Metrics,Logs}ServiceRequest; throws on malformed input. */
export function decodeOtlpProtobuf(signal: OtlpSignal, body: Uint8Array): Record<string, unknown> {
  return message(body, REQUESTS[signal], 0)
}

// ---- responses ---------------------------------------------------------------------------

function varintBytes(n: number): number[] {
  const out: number[] = []
  let v = Math.max(0, Math.floor(n))
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80)
    v = Math.floor(v / 0x80)
  }
  out.push(v)
  return out
}
const lenField = (field: number, bytes: Uint8Array | number[]): number[] => [(field << 3) | 2, ...varintBytes(bytes.length), ...bytes]

/** Export*ServiceResponse: empty, or partial_success { rejected_* = 1; error_message = 2 }. */
export function encodeExportResponse(rejected: number, errorMessage: string): Uint8Array {
  if (rejected === 0 && errorMessage === '') return new Uint8Array(0)
  const partial = [...(rejected > 0 ? [1 << 3, ...varintBytes(rejected)] : []), ...(errorMessage ? lenField(2, Buffer.from(errorMessage, 'utf8')) : [])]
  return Uint8Array.from(lenField(1, partial))
}

/** google.rpc.Status { code = 1; message = 2 }: the body of an OTLP/protobuf error response. */
export function encodeRpcStatus(code: number, msg: string): Uint8Array {
  return Uint8Array.from([1 << 3, ...varintBytes(code), ...lenField(2, Buffer.from(msg, 'utf8'))])
}
