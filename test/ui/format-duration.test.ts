import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { duration } from '../../src/shared/format'

describe('duration for people', () => {
  it('rounds to the unit shown before splitting it', () => {
    expect(duration(119_555)).toBe('2 m 0 s')
    expect(duration(59_960)).toBe('1 m 0 s')
    expect(duration(999.6)).toBe('1.0 s')
    expect(duration(3_599_600)).toBe('1 h 0 m')
    expect(duration(7_170_000)).toBe('2 h 0 m')
    expect(duration(61_400)).toBe('1 m 1 s')
    expect(duration(12.4)).toBe('12 ms')
    expect(duration(null)).toBe('—')
  })

  it('never shows 60 of a smaller unit, and never goes down as the time grows', () => {
    const value = (text: string) => {
      const m = /^(?:(\d+) h (\d+) m|(\d+) m (\d+) s|([\d.]+) s|(\d+) ms)$/.exec(text)
      if (!m) throw new Error(`unexpected ${text}`)
      if (m[1] !== undefined) return (Number(m[1]) * 60 + Number(m[2])) * 60_000
      if (m[3] !== undefined) return (Number(m[3]) * 60 + Number(m[4])) * 1000
      if (m[5] !== undefined) return Number(m[5]) * 1000
      return Number(m[6])
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * 86_400_000 }), fc.integer({ min: 0, max: 100_000 }), (ms, more) => {
        const text = duration(ms)
        expect(text).not.toMatch(/\b60 [ms]\b/)
        expect(value(duration(ms + more))).toBeGreaterThanOrEqual(value(text))
      }),
      { numRuns: 2000 },
    )
  })
})
