// OTLP/JSON encoding rules (opentelemetry-proto, "JSON Protobuf Encoding"): int64 values are
// strings, trace and span ids are hex, attribute values are tagged AnyValue objects. Every
// reader here returns null for anything malformed instead of throwing: a request from the
// wire must map what it can.

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

const MAX_DEPTH = 8

/** An AnyValue as plain JSON. int64 beyond 2^53 loses precision, as it would in any JS consumer. */
export function anyValue(v: unknown, depth = 0): unknown {
  if (!isObj(v) || depth > MAX_DEPTH) return null
  if ('stringValue' in v) return typeof v.stringValue === 'string' ? v.stringValue : null
  if ('boolValue' in v) return typeof v.boolValue === 'boolean' ? v.boolValue : null
  if ('intValue' in v) return numberOf(v.intValue)
  if ('doubleValue' in v) return numberOf(v.doubleValue)
  if ('bytesValue' in v) return typeof v.bytesValue === 'string' ? v.bytesValue : null
  if ('arrayValue' in v) return isObj(v.arrayValue) ? arr(v.arrayValue.values).map((x) => anyValue(x, depth + 1)) : null
  if ('kvlistValue' in v) return isObj(v.kvlistValue) ? attrsOf(v.kvlistValue.values, depth + 1) : null
  return null
}

/** A KeyValue list as an object; entries without a string key are dropped. */
export function attrsOf(list: unknown, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const kv of arr(list)) {
    if (isObj(kv) && typeof kv.key === 'string' && kv.key !== '__proto__') out[kv.key] = anyValue(kv.value, depth)
  }
  return out
}

/** A number from a JSON number or a decimal string (int64 and Claude Code's stringly attributes). */
export function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v)) {
    const n = Number(v)
    return Number.isFinite(n) ? n : null
  }
  return null
}

/** A token count: a non-negative integer or nothing. */
export function countOf(v: unknown): number | null {
  const n = numberOf(v)
  return n !== null && n >= 0 ? Math.round(n) : null
}

/** fixed64 nanoseconds since the epoch → ms. 0 means "not set" in OTLP. */
export function nanosToMs(v: unknown): number | null {
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) {
    const ms = Number(BigInt(v) / 1_000_000n)
    return ms > 0 && ms < 1e14 ? ms : null
  }
  if (typeof v === 'number' && Number.isFinite(v) && v > 0 && v / 1e6 < 1e14) return Math.floor(v / 1e6)
  return null
}

/** A hex trace/span id of `bytes` bytes, lower-cased; all-zero ids are invalid per the spec. */
export function hexId(v: unknown, bytes: number): string | null {
  if (typeof v !== 'string' || v.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(v) || /^0+$/.test(v)) return null
  return v.toLowerCase()
}

// Prompt, completion and tool input/output text: never stored (the same rule as Claude Code
// transcripts). Sizes of what was dropped are not kept either: they are not in every producer.
const CONTENT_KEY = /(^|\.|_)(prompt|completion|messages|system_instructions|arguments|result|content|parameters|body)$/

export function withoutContent(attrs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(attrs)) if (!CONTENT_KEY.test(k) && !k.startsWith('gen_ai.prompt.') && !k.startsWith('gen_ai.completion.')) out[k] = v
  return out
}

/** Metric labels are strings; structured values keep their JSON form. */
export function labelsOf(attrs: Record<string, unknown>, omit: Set<string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(attrs)) {
    if (omit.has(k) || v === null) continue
    out[k] = typeof v === 'string' ? v : JSON.stringify(v)
  }
  return out
}
