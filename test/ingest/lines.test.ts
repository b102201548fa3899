import { writeFileSync } from 'node:fs'
import fc from 'fast-check'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLines } from '../../src/core/ingest/lines'
import { tempDir } from '../helpers/temp'

// Lines are decoded as latin1 when a buffer is all ASCII (a plain copy) and as UTF-8 otherwise:
// either way each line must read exactly as UTF-8 decoding gives it.

async function linesOf(text: string | Buffer, wholeFileBelow?: number): Promise<string[]> {
  const path = join(tempDir(), 'f.jsonl')
  writeFileSync(path, text)
  const out: string[] = []
  const size = Buffer.byteLength(text)
  await readLines(path, size, (t) => void out.push(t), () => true, { wholeFileBelow })
  return out
}

describe('line reading', () => {
  const lines = ['{"a":"plain ascii"}', '{"b":"café – ✓ 🚀 日本"}', '{"c":"\\u00e9 escaped"}']
  for (const [label, below] of [['read whole', undefined], ['streamed in chunks', 0]] as const) {
    it(`reads ASCII and UTF-8 lines as UTF-8 decoding gives them (${label})`, async () => {
      expect(await linesOf(lines.join('\n') + '\n', below)).toEqual(lines)
      expect(await linesOf(lines[0] + '\n' + lines[2] + '\n', below)).toEqual([lines[0], lines[2]])
    })
  }

  it('reads bytes that are not valid UTF-8 as UTF-8 decoding does (replacement characters), not as latin1', async () => {
    const bad = Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}\n')])
    expect(await linesOf(bad)).toEqual([bad.subarray(0, bad.length - 1).toString('utf8')])
  })
})

describe('streamed lines across chunk edges', () => {
  it('reads every line as it is, or passes over one too long to keep, numbering all of them', async () => {
    const dir = tempDir()
    let n = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'b', '{', 'é', '日'), maxLength: 90 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 17 }),
        fc.integer({ min: 8, max: 40 }),
        fc.boolean(),
        async (lines, chunkBytes, maxLineBytes, endsWithNewline) => {
          const path = join(dir, `f${n++}.jsonl`)
          const text = lines.join('\n') + (endsWithNewline ? '\n' : '')
          writeFileSync(path, text)
          const read: [number, string][] = []
          const tooLong: [number, number][] = []
          const r = await readLines(path, Buffer.byteLength(text), (t, i) => void read.push([i, t]), () => true, {
            wholeFileBelow: 0, chunkBytes, maxLineBytes, onTooLong: (i, bytes) => void tooLong.push([i, bytes]),
          })
          // A last line without its newline that is too long stays unread, as an unfinished one.
          const last = lines.length - 1
          const numbered = lines.map((l, i) => [i + 1, l] as const).filter(([i, l]) => i - 1 !== last || endsWithNewline || l !== '' || r.incompleteTail)
          for (const [i, line] of numbered) {
            const bytes = Buffer.byteLength(line)
            const got = read.find(([j]) => j === i)
            const passed = tooLong.find(([j]) => j === i)
            if (i - 1 === last && !endsWithNewline && r.incompleteTail) {
              expect(got ?? passed).toBeUndefined()
              expect(bytes).toBeGreaterThan(maxLineBytes)
              continue
            }
            if (got) expect(got[1]).toBe(line)
            else {
              expect(passed, `line ${i}`).toEqual([i, bytes])
              expect(bytes).toBeGreaterThan(maxLineBytes)
            }
            // The limit is checked as chunks without a newline come: a line that ends in the chunk
            // after the one it began in is read whatever its length, so only one past the limit by
            // more than two chunks must be passed over.
            if (bytes > maxLineBytes + 2 * chunkBytes) expect(got).toBeUndefined()
          }
          expect(r.endOffset).toBe(r.incompleteTail ? Buffer.byteLength(lines.slice(0, last).map((l) => `${l}\n`).join('')) : Buffer.byteLength(text))
        },
      ),
      { numRuns: 1000 },
    )
  })
})
