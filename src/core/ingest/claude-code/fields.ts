import { LineError } from '../records'

// Field readers that reject a wrong type with a message naming the field, so a malformed
// line is reported precisely instead of importing as zeros.

export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)

export function int(v: unknown, field: string): number | null {
  if (v === undefined || v === null) return null
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new LineError(`${field} is not a non-negative number`)
  return Math.round(v)
}

export function isoMs(v: unknown, field: string): number | null {
  if (v === undefined || v === null) return null
  if (typeof v !== 'string') throw new LineError(`${field} is not a string`)
  const ms = Date.parse(v)
  if (Number.isNaN(ms)) throw new LineError(`${field} is not a date: ${v.slice(0, 40)}`)
  return ms
}
