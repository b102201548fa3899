// Typed reads of OTLP/JSON fields (opentelemetry-proto "JSON Protobuf Encoding", on top of the
// proto3 JSON mapping): a field of the wrong type throws FieldError, and the item it belongs to
// is left out with a reason naming the field, as the NDJSON reader refuses a bad record. An
// absent field, or `null` (proto3 JSON's "default value"), reads as not set.
import { isObj, LineError } from '../records'

import { pathText, valueText, type JsonPath } from '../json-locate'

export { pathText, type JsonPath } from '../json-locate'


/** A field with the wrong type or an impossible value. A LineError: a request that is wrong as a whole is refused as one. */
export class FieldError extends LineError {
  constructor(
    readonly path: JsonPath,
    message: string,
  ) {
    super(message)
  }
}

export { isObj } from '../records'
export const absent = (v: unknown): v is null | undefined => v === undefined || v === null

/** The bad value as it appears in the file, cut short: enough to find it, never a whole subtree. */
export const got = (v: unknown): string => `; got ${valueText(v, 40)}`

const wrong = (at: JsonPath, key: string | number, what: string, v: unknown): FieldError => new FieldError([...at, key], `${key} must be ${what}${got(v)}`)

/** `spans[3]` for a path ending in `….spans[3]`: the field as the reason names it. */
function nameOf(at: JsonPath): string {
  let i = at.length - 1
  while (i > 0 && typeof at[i] === 'number') i--
  return pathText(at.slice(Math.max(i, 0))) || 'the request'
}

export function objectAt(v: unknown, at: JsonPath, what = 'an object'): Record<string, unknown> {
  if (isObj(v)) return v
  throw new FieldError(at, `${nameOf(at)} must be ${what}${got(v)}`)
}

export function optObj(o: Record<string, unknown>, key: string, at: JsonPath): Record<string, unknown> | null {
  const v = o[key]
  if (absent(v)) return null
  if (!isObj(v)) throw wrong(at, key, 'an object', v)
  return v
}

export function list(o: Record<string, unknown>, key: string, at: JsonPath): unknown[] {
  const v = o[key]
  if (absent(v)) return []
  if (!Array.isArray(v)) throw wrong(at, key, 'an array', v)
  return v
}

/** A string field; "" is proto3's default, read as not set. */
export function optStr(o: Record<string, unknown>, key: string, at: JsonPath): string | null {
  const v = o[key]
  if (absent(v) || v === '') return null
  if (typeof v !== 'string') throw wrong(at, key, 'a string', v)
  return v
}

/** Times from 1e14 ms (the year 5138) on are not times but corrupt values. */
const MAX_NS = 100_000_000_000_000n * 1_000_000n

/** fixed64 nanoseconds since the epoch: a decimal string or an integer. 0 is OTLP's "not set". */
export function nanos(o: Record<string, unknown>, key: string, at: JsonPath): bigint | null {
  const v = o[key]
  if (absent(v)) return null
  let ns: bigint | null = null
  if (typeof v === 'string' && /^\d{1,30}$/.test(v)) ns = BigInt(v)
  else if (typeof v === 'number' && Number.isInteger(v) && v >= 0) ns = BigInt(v)
  if (ns === null) throw wrong(at, key, 'nanoseconds since the epoch (a decimal string or a non-negative integer)', v)
  if (ns >= MAX_NS) throw new FieldError([...at, key], `${key} ${String(v)} is not a time (after the year 5000)`)
  return ns === 0n ? null : ns
}

/** ns → ms, as stored; below 1 ms after the epoch is as good as not set. */
export const msOf = (ns: bigint | null): number | null => {
  const ms = ns === null ? 0 : Number(ns / 1_000_000n)
  return ms > 0 ? ms : null
}
export const isoOf = (ns: bigint): string => new Date(Number(ns / 1_000_000n)).toISOString()

/** A trace or span id: hex of `bytes` bytes, lower-cased. "" and all zeros are the spec's "no id". */
export function optHexId(o: Record<string, unknown>, key: string, bytes: number, at: JsonPath): string | null {
  const v = o[key]
  if (absent(v) || v === '') return null
  if (typeof v !== 'string' || v.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(v)) throw new FieldError([...at, key], `${key} is not ${bytes * 2} hex digits${got(v)}`)
  return /^0+$/.test(v) ? null : v.toLowerCase()
}

/** int64 / uint64 (and enums sent as numbers): a decimal string or an integer. Beyond 2^53 loses precision, as in any JS consumer. */
export function int64(o: Record<string, unknown>, key: string, at: JsonPath, unsigned = false): number | null {
  const v = o[key]
  if (absent(v)) return null
  const ok = typeof v === 'number' ? Number.isInteger(v) : typeof v === 'string' && /^-?\d{1,20}$/.test(v)
  const n = ok ? Number(v) : NaN
  if (!ok || (unsigned && n < 0)) throw wrong(at, key, `a${unsigned ? ' non-negative' : 'n'} integer (a decimal string or a number)`, v)
  return n
}

/** double: a number, a numeric string, or proto3's "NaN", "Infinity", "-Infinity". May return a non-finite number: the caller decides. */
export function double(o: Record<string, unknown>, key: string, at: JsonPath): number | null {
  const v = o[key]
  if (absent(v)) return null
  if (typeof v === 'number') return v // NaN only from the protobuf decoder, which shares this mapper
  if (typeof v === 'string' && (/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v) || v === 'NaN' || v === 'Infinity' || v === '-Infinity')) return Number(v)
  throw wrong(at, key, 'a number (or "NaN", "Infinity", "-Infinity")', v)
}
