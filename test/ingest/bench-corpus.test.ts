import { statSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { appendTurns, generateCorpus } from '../../bench/corpus/claude-code'
import { tempDir } from '../helpers/temp'

// The bench's warm figures depend on which sessions an append grows: one turn into every tenth
// session (the judged figure), or turn after turn into a few sessions spread over the corpus.
describe('bench corpus appends', () => {
  const grownBy = (sessions: string[], append: () => number) => {
    const before = sessions.map((p) => statSync(p).size)
    const lines = append()
    return { lines, grown: sessions.flatMap((p, i) => (statSync(p).size > before[i] ? [i] : [])) }
  }

  it('grow every tenth session by one turn, or the given number of sessions spread over the corpus by many', () => {
    const corpus = generateCorpus(tempDir(), 10 * 1024 * 1024)
    const n = corpus.sessions.length
    expect(n).toBeGreaterThan(30)
    // At most four turns (each has a line or more): sessions 0, 10, 20, 30 at most, no wrap-around.
    const spread = grownBy(corpus.sessions, () => appendTurns(corpus, 4, 3))
    expect(spread.lines).toBeGreaterThanOrEqual(4)
    expect(spread.grown).toEqual(Array.from({ length: spread.grown.length }, (_, j) => j * 10))
    const few = grownBy(corpus.sessions, () => appendTurns(corpus, 200, 4, { sessions: 3 }))
    expect(few.lines).toBeGreaterThanOrEqual(200)
    expect(few.grown).toEqual([0, Math.floor(n / 3), Math.floor((2 * n) / 3)])
  })
})
