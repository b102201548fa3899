import { writeFileSync } from 'node:fs'
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
