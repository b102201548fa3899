import { describe, expect, it } from 'vitest'
import type { RunSummary } from '../../src/shared/dto'
import { ChangeQueue, MAX_NAMED_RUNS, mergeRuns, type Pending } from '../../src/renderer/src/lib/run-changes'

// How the runs library folds `runs.changed` announcements into fetches (the library's side is
// tested end to end in e2e/library-follow.spec.ts).

const run = (id: string, costUsd = 0) => ({ id, name: id, costUsd }) as RunSummary

/** A fetch that stays open until released, recording what it was asked and how many ran at once. */
function gatedFetch() {
  const asked: (string[] | 'all')[] = []
  const gates: (() => void)[] = []
  let open = 0
  let maxOpen = 0
  const fetch = async (what: Pending) => {
    asked.push(what.all ? 'all' : [...what.ids])
    open++
    maxOpen = Math.max(maxOpen, open)
    await new Promise<void>((r) => gates.push(r))
    open--
  }
  const release = async () => {
    while (gates.length === 0) await new Promise((r) => setTimeout(r, 0))
    gates.shift()!()
  }
  return { fetch, asked, release, maxOpen: () => maxOpen }
}

describe('ChangeQueue', () => {
  it('fetches the runs named, and folds announcements made during a fetch into one next fetch', async () => {
    const g = gatedFetch()
    const q = new ChangeQueue(g.fetch)
    const first = q.changed(['a'])
    q.changed(['b'])
    q.changed(['c', 'b'])
    await g.release()
    await g.release()
    await first
    expect(g.asked).toEqual([['a'], ['b', 'c']])
    expect(g.maxOpen()).toBe(1)
  })

  it('fetches the whole list for an announcement naming no run, and for too many runs', async () => {
    const g = gatedFetch()
    const q = new ChangeQueue(g.fetch)
    const done = q.changed(['a'])
    q.changed(['b'])
    q.changed([])
    q.changed(['c'])
    await g.release()
    await g.release()
    await done
    expect(g.asked).toEqual([['a'], 'all'])

    const many = Array.from({ length: MAX_NAMED_RUNS + 1 }, (_, i) => `r${i}`)
    const again = q.changed(many)
    await g.release()
    await again
    expect(g.asked.at(-1)).toBe('all')
    const exactlyMax = q.changed(many.slice(0, MAX_NAMED_RUNS))
    await g.release()
    await exactlyMax
    expect(g.asked.at(-1)).toHaveLength(MAX_NAMED_RUNS)
  })

  it('starts again for an announcement made after its last fetch ended', async () => {
    const g = gatedFetch()
    const q = new ChangeQueue(g.fetch)
    const one = q.changed(['a'])
    await g.release()
    await one
    const two = q.all()
    await g.release()
    await two
    expect(g.asked).toEqual([['a'], 'all'])
  })
})

describe('mergeRuns', () => {
  it('replaces the runs asked for in place, drops those no longer stored and adds new ones at the end', () => {
    const held = [run('a', 1), run('b', 2), run('c', 3)]
    const merged = mergeRuns(held, ['b', 'c', 'd'], [run('d', 9), run('b', 5)])
    expect(merged.map((r) => [r.id, r.costUsd])).toEqual([['a', 1], ['b', 5], ['d', 9]])
    // Runs not asked for are the same objects (the table keeps their rows).
    expect(merged[0]).toBe(held[0])
  })

  it('leaves the list as it was when nothing asked for changed', () => {
    const held = [run('a', 1), run('b', 2)]
    expect(mergeRuns(held, ['x'], [])).toEqual(held)
  })
})
