// Attributes: KeyValue lists of tagged AnyValue objects, checked as the OTLP/JSON encoding types
// them (a FieldError names the attribute's place otherwise). What the semantic conventions put
// in them (token counts, costs, durations) is read leniently, since producers differ (Claude
// Code sends its numbers as strings), but a value that is no usable number is refused.
import { FieldError, absent, double, got, int64, isObj, list, objectAt, optObj, optStr, type JsonPath } from './fields'

export { isObj } from './fields'
export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)

const MAX_DEPTH = 8
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/

function wrongTag(at: JsonPath, tag: string, what: string, v: unknown): never {
  throw new FieldError([...at, tag], `${tag} must be ${what}${got(v)}`)
}

/** An AnyValue as plain JSON; nesting deeper than 8 is kept as null. */
export function anyValue(v: unknown, at: JsonPath, depth = 0): unknown {
  if (absent(v)) return null
  const any = objectAt(v, at, 'an AnyValue object')
  if (depth > MAX_DEPTH) return null
  const { stringValue: s, boolValue: b, bytesValue: bytes } = any
  if (!absent(s)) return typeof s === 'string' ? s : wrongTag(at, 'stringValue', 'a string', s)
  if (!absent(b)) return typeof b === 'boolean' ? b : wrongTag(at, 'boolValue', 'true or false', b)
  if (!absent(any.intValue)) return int64(any, 'intValue', at)
  // Stored as JSON, which has no NaN or Infinity: such a double is kept as null.
  if (!absent(any.doubleValue)) return ((d) => (Number.isFinite(d) ? d : null))(double(any, 'doubleValue', at)!)
  if (!absent(bytes)) return typeof bytes === 'string' && BASE64.test(bytes) ? bytes : wrongTag(at, 'bytesValue', 'base64 text', bytes)
  if (!absent(any.arrayValue)) {
    const where = [...at, 'arrayValue']
    return list(objectAt(any.arrayValue, where), 'values', where).map((x, i) => anyValue(x, [...where, 'values', i], depth + 1))
  }
  if (!absent(any.kvlistValue)) return attrsOf(objectAt(any.kvlistValue, [...at, 'kvlistValue']), [...at, 'kvlistValue'], 'values', depth + 1)
  return null // proto3: an AnyValue with nothing set is an empty value
}

/** The KeyValue list `o[key]` as an object; a later entry with the same key wins. */
export function attrsOf(o: Record<string, unknown>, at: JsonPath, key = 'attributes', depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const kvs = list(o, key, at)
  for (let i = 0; i < kvs.length; i++) {
    const kv = kvs[i]
    if (!isObj(kv) || typeof kv.key !== 'string') throw new FieldError([...at, key, i], `${key}[${i}] must be an object with a string "key"${got(kv)}`)
    if (kv.key === '__proto__') continue
    // Most values are plain strings: read them (as anyValue would) without building a path.
    const v = kv.value
    out[kv.key] = isObj(v) && typeof v.stringValue === 'string' ? v.stringValue : anyValue(v, [...at, key, i, 'value'], depth)
  }
  return out
}

/** The resource's attributes (they pick the run): a bad one leaves out everything under it. */
export function resourceOf(o: Record<string, unknown>, at: JsonPath): Record<string, unknown> {
  const r = optObj(o, 'resource', at)
  return r ? attrsOf(r, [...at, 'resource']) : {}
}

export function scopeNameOf(o: Record<string, unknown>, at: JsonPath): string | null {
  const scope = optObj(o, 'scope', at)
  return scope ? optStr(scope, 'name', [...at, 'scope']) : null
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

const TAGS = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'bytesValue', 'arrayValue', 'kvlistValue']

/** The place of attribute `key`'s value in the item (the last entry with it, as attrsOf keeps), down to its tag, for the reason. */
function attrPath(o: Record<string, unknown>, key: string, at: JsonPath): JsonPath {
  const kvs = Array.isArray(o.attributes) ? (o.attributes as unknown[]) : []
  for (let i = kvs.length - 1; i >= 0; i--) {
    const kv = kvs[i]
    if (!isObj(kv) || kv.key !== key) continue
    const tag = isObj(kv.value) ? TAGS.find((t) => !absent((kv.value as Record<string, unknown>)[t])) : undefined
    return tag ? [...at, 'attributes', i, 'value', tag] : [...at, 'attributes', i, 'value']
  }
  return [...at, 'attributes']
}

/**
 * A non-negative number attribute (a count when `integer`): null when absent; refused when it
 * is anything else. A token count of "many" silently read as 0 would be an invented figure.
 */
export function amountAttr(o: Record<string, unknown>, attrs: Record<string, unknown>, key: string, at: JsonPath, integer = false): number | null {
  const v = attrs[key]
  if (absent(v)) return null
  const n = numberOf(v)
  if (n !== null && n >= 0 && (!integer || Number.isInteger(n))) return n
  throw new FieldError(attrPath(o, key, at), `attribute ${key} must be ${integer ? 'a token count (a non-negative integer)' : 'a non-negative number'}${got(v)}`)
}
export const countAttr = (o: Record<string, unknown>, attrs: Record<string, unknown>, key: string, at: JsonPath) => amountAttr(o, attrs, key, at, true)

/** A hex id of `bytes` bytes, or null: only for naming an item in a reason. */
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
