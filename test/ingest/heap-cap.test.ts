import { getHeapStatistics } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { heapCap } from '../../src/core/ingest/heap-cap'

const MB = 1024 * 1024

/** Allocates about `mb` MB of objects and lets them go. */
function garbage(mb: number): number {
  let keep = 0
  for (let i = 0; i < mb * 8; i++) {
    const chunk = Array.from({ length: 2048 }, (_, j) => ({ i, j, s: `${i}-${j}` }))
    keep += chunk.length
  }
  return keep
}

describe('the parse worker heap cap', () => {
  it('collects a real heap grown past the floor, and then not again until it has doubled what stayed alive', () => {
    const cap = heapCap({ floor: 8 * MB })
    garbage(48)
    const before = getHeapStatistics().used_heap_size
    expect(cap.check()).toBe(true)
    const after = getHeapStatistics().used_heap_size
    expect(cap.collections).toBe(1)
    expect(after).toBeLessThan(before)
    // Right after a collection the heap is under twice what it kept: no collection at every batch.
    expect(cap.check()).toBe(false)
    expect(cap.collections).toBe(1)
  })

  it('collects past the floor or past twice the heap the last collection left, whichever is higher', () => {
    let heap = 30 * MB
    const collected: number[] = []
    // After a collection the heap holds what is alive: 25 MB, then 60 MB (a long line, say).
    const alive = [25 * MB, 60 * MB]
    const cap = heapCap({ floor: 40 * MB, used: () => heap, gc: () => { collected.push(heap); heap = alive.shift() ?? heap } })
    expect(cap.check()).toBe(false) // 30 MB: under the floor
    heap = 41 * MB
    expect(cap.check()).toBe(true) // past the floor; 25 MB alive, so the floor stays the limit
    heap = 39 * MB
    expect(cap.check()).toBe(false)
    heap = 70 * MB
    expect(cap.check()).toBe(true) // 60 MB alive: the next limit is 120 MB
    heap = 110 * MB
    expect(cap.check()).toBe(false)
    heap = 121 * MB
    expect(cap.check()).toBe(true)
    expect(collected).toEqual([41 * MB, 70 * MB, 121 * MB])
    expect(cap.collections).toBe(3)
  })

  it('does nothing where no collection can be asked for', () => {
    const cap = heapCap({ floor: 1, gc: null, used: () => 1e12 })
    expect(cap.check()).toBe(false)
    expect(cap.collections).toBe(0)
  })
})
