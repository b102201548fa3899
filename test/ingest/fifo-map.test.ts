import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FifoMap } from '../../src/core/ingest/fifo-map'

/** The behaviour FifoMap replaces: a Map that drops its first key once it holds more than `limit`. */
function reference(limit: number) {
  const map = new Map<number, number>()
  return {
    set(k: number, v: number) {
      map.set(k, v)
      if (map.size > limit) map.delete(map.keys().next().value as number)
    },
    map,
  }
}

describe('FifoMap', () => {
  it('holds what a Map evicting its oldest key holds, in the same order, after any sequence of writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer()), { maxLength: 200 }), (limit, writes) => {
        const fifo = new FifoMap<number, number>(limit)
        const ref = reference(limit)
        for (const [k, v] of writes) {
          fifo.set(k, v)
          ref.set(k, v)
          expect(fifo.size).toBe(ref.map.size)
          expect(fifo.size).toBeLessThanOrEqual(limit)
        }
        expect([...fifo.entries()]).toEqual([...ref.map.entries()])
        for (let k = 0; k <= 20; k++) {
          expect(fifo.get(k)).toBe(ref.map.get(k))
          expect(fifo.has(k)).toBe(ref.map.has(k))
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('refuses a limit under one', () => {
    expect(() => new FifoMap(0)).toThrow(RangeError)
    expect(() => new FifoMap(Number.NaN)).toThrow(RangeError)
  })
})
