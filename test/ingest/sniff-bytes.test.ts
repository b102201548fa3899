import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { claudeCodeFormat } from '../../src/core/ingest/claude-code/format'
import { ndjsonFormat } from '../../src/core/ingest/ndjson/format'
import { formats } from '../../src/core/ingest/registry'

// The transcript and NDJSON sniffers search bytes instead of decoding each 64 KB head (cb8d3a4).
// They must answer as the decoding versions did, which are kept here as the reference: a
// regex over the decoded head, and the first non-blank line (String.trim) parsed as JSON.

const oldTranscript = (head: Buffer) => /"(sessionId|parentUuid|isSidechain)"\s*:/.test(head.toString('utf8'))
const RECORD_TYPES = ['run', 'agent', 'span', 'event', 'metric']
function oldNdjson(head: Buffer): boolean {
  let text = head.toString('utf8')
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      const v = JSON.parse(line) as unknown
      const first = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null
      return first !== null && first.v === 1 && RECORD_TYPES.includes(first.type as string)
    } catch {
      return false
    }
  }
  return false
}

/** Pieces of transcripts and NDJSON records, the keys both sniffers look for, and every kind of whitespace around them. */
const piece = fc.constantFrom(
  '{', '}', '[', ']', ':', ',', '"', '\\"', '\n', '\r\n', ' ', '\t', '\v', '\f', '\u00a0', '\u2028', '\ufeff', '\u3000', 'é', '中', '😀', '\u0000',
  '"sessionId"', '"parentUuid"', '"isSidechain"', '"sessionId" :', '"v"', '"v":1', '"v": 1', '"v":2', '"type":"run"', '"type":"span"', '"type":"user"',
  '"id":"r1"', 'true', '1', 'null', '"x"', '{"v":1,"type":"run","id":"a"}', '{"type":"user","sessionId":"s"}',
)
const noise = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''))
/** Lines of whitespace alone (ASCII or not), as an editor or a tool may leave above the records. */
const blankLine = fc.array(fc.constantFrom(' ', '\t', '\r', '\v', '\u00a0', '\ufeff', '\u2028', '\u3000'), { maxLength: 3 }).map((w) => w.join(''))
const line = fc.oneof(noise, blankLine, fc.constantFrom('{"v":1,"type":"run","id":"a"}', '{"v":1,"type":"nope"}', '{"type":"user","sessionId":"s"}', ' {"v": 1, "type": "span"} '))
const head = fc
  .tuple(fc.boolean(), fc.array(line, { maxLength: 6 }))
  .map(([bom, lines]) => Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(lines.join('\n'))]))

describe('sniffing by bytes', () => {
  it('finds a transcript key exactly where the regex over the decoded head did (2,000 heads)', () => {
    fc.assert(
      fc.property(head, (h) => {
        expect(claudeCodeFormat.sniff({ path: '/x/s.jsonl', name: 's.jsonl', size: h.length, head: h })).toBe(oldTranscript(h))
      }),
      { numRuns: 2000 },
    )
  })

  it('takes a file for NDJSON exactly when the first non-blank line, decoded and parsed, was a versioned record of ours (2,000 heads)', () => {
    fc.assert(
      fc.property(head, (h) => {
        expect(ndjsonFormat.sniff({ path: '/x/r.ndjson', name: 'r.ndjson', size: h.length, head: h })).toBe(oldNdjson(h))
      }),
      { numRuns: 2000 },
    )
  })

  it('asks NDJSON before transcripts, so that our export of a Claude Code run is not taken for a transcript', () => {
    const exported = Buffer.from('{"v":1,"type":"run","id":"cc-1","attrs":{"sessionId":"1"}}\n{"type":"span","runId":"cc-1","id":"s","kind":"llm","name":"m"}\n')
    const input = { path: '/x/runs.jsonl', name: 'runs.jsonl', size: exported.length, head: exported }
    expect(claudeCodeFormat.sniff(input)).toBe(true)
    expect(formats.find((f) => f.sniff(input))?.format).toBe(ndjsonFormat.format)
  })
})
