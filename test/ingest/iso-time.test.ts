import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isoMs } from '../../src/core/ingest/claude-code/fields'

// Transcript timestamps take a fast path (the day parsed once, the time of day added); every
// answer must be Date.parse's, including its rejections and its roll-over of impossible days.

const viaDateParse = (s: string): number | 'error' => {
  const ms = Date.parse(s)
  return Number.isNaN(ms) ? 'error' : ms
}
const viaIsoMs = (s: string): number | 'error' => {
  try {
    return isoMs(s, 'timestamp') as number
  } catch {
    return 'error'
  }
}

const pad = (n: number, w: number) => String(n).padStart(w, '0')
/** Timestamps of the transcripts' form, with fields sometimes out of range, and sometimes one character replaced. */
const stamp = fc
  .record({
    y: fc.integer({ min: 0, max: 9999 }),
    mo: fc.integer({ min: 0, max: 14 }),
    d: fc.integer({ min: 0, max: 33 }),
    h: fc.integer({ min: 0, max: 25 }),
    mi: fc.integer({ min: 0, max: 61 }),
    s: fc.integer({ min: 0, max: 61 }),
    ms: fc.integer({ min: 0, max: 999 }),
    at: fc.option(fc.integer({ min: 0, max: 23 })),
    ch: fc.constantFrom('0', '9', 'T', 'Z', '-', ':', '.', ' ', 'x', '+'),
  })
  .map(({ y, mo, d, h, mi, s, ms, at, ch }) => {
    const text = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`
    return at === null ? text : text.slice(0, at) + ch + text.slice(at + 1)
  })

describe('transcript timestamps', () => {
  it('read as Date.parse reads them, in the transcripts\' form and near it (fast-check)', () => {
    fc.assert(fc.property(fc.array(stamp, { minLength: 1, maxLength: 4 }), (stamps) => {
      // Several in a row: the remembered day of one must not leak into the next.
      for (const s of stamps) expect(viaIsoMs(s)).toBe(viaDateParse(s))
    }), { numRuns: 3000 })
  })

  it('read other forms and any string as Date.parse does (fast-check)', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())), (s) => {
      expect(viaIsoMs(s)).toBe(viaDateParse(s))
    }), { numRuns: 1000 })
  })

  it('roll over an impossible day as Date.parse does, and reject an hour of 24 with minutes', () => {
    for (const s of ['2026-02-30T12:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01T24:30:00.000Z', '2026-01-01T23:59:60.000Z', '2026-13-01T00:00:00.000Z']) {
      expect(viaIsoMs(s)).toBe(viaDateParse(s))
    }
    expect(viaIsoMs('2026-02-30T12:00:00.000Z')).toBe(Date.UTC(2026, 2, 2, 12))
  })
})
