import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseNdjsonRecord, type NdjsonContext } from '../../src/core/ingest/ndjson/schema'
import { fastPathOf, parseLiveRecord } from '../../src/core/live/fast-ndjson'

// The WebSocket ingest validates with a hand-written fast path that must agree with the file
// reader (zod) on every input: same record when valid, same error message when not.

const outcome = (f: () => unknown) => {
  try {
    // JSON round trip: `undefined` fields and absent ones are the same to the writer.
    return { ok: JSON.parse(JSON.stringify(f())) as unknown }
  } catch (e) {
    return { error: (e as Error).message }
  }
}

// Mostly valid values (weight 12), with each kind of invalid one now and then.
const mostly = <T>(valid: fc.Arbitrary<T>, ...invalid: unknown[]) => fc.oneof({ arbitrary: valid as fc.Arbitrary<unknown>, weight: 12 }, ...invalid.map((v) => ({ arbitrary: fc.constant(v), weight: 1 })))
const id = mostly(fc.string({ minLength: 1, maxLength: 8 }), '', 'x'.repeat(513), null, 7)
const time = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 2e12 }), weight: 10 }, { arbitrary: fc.double({ noNaN: false }), weight: 1 }, ...['2026-01-01T10:00:00Z', '2026-02-30T10:00:00Z', -1, null, 1.5].map((v) => ({ arbitrary: fc.constant(v as unknown), weight: 1 })))
const count = mostly(fc.nat(), -1, 1.5, 2 ** 60, '3')
const attrs = fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })), fc.constant([]), fc.constant(null), fc.constant(JSON.parse('{"__proto__": {"x": 1}}')))
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 })

const span = fc.record({
  type: fc.constant('span'), v: maybe(fc.constantFrom(1, 2)), runId: maybe(id), id: maybe(id), kind: maybe(fc.constantFrom('llm', 'tool', 'agent', 'task', 'other', 'nope')),
  name: maybe(fc.oneof(fc.string({ maxLength: 6 }), fc.constant('n'.repeat(501)))), parentId: maybe(id), agentId: maybe(id), start: maybe(time), end: maybe(time),
  status: maybe(fc.constantFrom('ok', 'error', 'unset', 'bad')), error: maybe(fc.oneof(fc.string({ maxLength: 4 }), fc.constant(null), fc.constant(3))),
  model: maybe(id), inputTokens: maybe(count), outputTokens: maybe(count), cacheReadTokens: maybe(count), costUsd: maybe(fc.oneof(fc.double(), fc.constant(-1))), attrs: maybe(attrs), extra: maybe(fc.string()),
})
const event = fc.record({
  type: fc.constant('event'), v: maybe(fc.constant(1)), runId: maybe(id), id: maybe(id), ts: maybe(time), name: maybe(fc.string({ maxLength: 5 })),
  severity: maybe(fc.constantFrom('info', 'error', 'loud', null)), agentId: maybe(id), attrs: maybe(attrs),
})
const metric = fc.record({
  type: fc.constant('metric'), runId: maybe(id), name: maybe(fc.string({ maxLength: 5 })), value: maybe(fc.oneof(fc.double(), fc.constant('1'))), ts: maybe(time),
  unit: maybe(fc.oneof(fc.string({ maxLength: 40 }), fc.constant(null))), labels: maybe(fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.string({ maxLength: 3 }), fc.integer())), fc.constant(null))), reported: maybe(fc.oneof(fc.boolean(), fc.constant('yes'))),
})
const agent = fc.record({ type: fc.constant('agent'), runId: maybe(id), id: maybe(id), name: maybe(id), agentType: maybe(id), parentAgentId: maybe(id), parentSpanId: maybe(id), attrs: maybe(attrs) })
const run = fc.record({ type: fc.constant('run'), v: maybe(fc.constantFrom(1, '1')), id: maybe(id), name: maybe(fc.string({ maxLength: 5 })), source: maybe(fc.string({ maxLength: 5 })), attrs: maybe(attrs) })
const anyRecord = fc.oneof(span, event, metric, agent, run, fc.jsonValue({ maxDepth: 2 }))
const ctx = fc.record({ runId: fc.option(fc.constantFrom('r1', 'run-2')), versioned: fc.boolean() })

describe('fast NDJSON validation', () => {
  it('agrees with parseNdjsonRecord on valid and invalid records alike', () => {
    let fast = 0
    fc.assert(
      fc.property(anyRecord, ctx, (rec, c) => {
        const clean = JSON.parse(JSON.stringify(rec ?? null)) as unknown
        if (fastPathOf(clean, c as NdjsonContext)) fast++
        expect(outcome(() => parseLiveRecord(clean, 3, c as NdjsonContext))).toEqual(outcome(() => parseNdjsonRecord(clean, 3, c as NdjsonContext)))
      }),
      { numRuns: 4000 },
    )
    // Enough generated records are plainly valid for the fast path to be exercised, not just skipped.
    expect(fast).toBeGreaterThan(100)
  })

  it('takes the fast path for the common shapes (a span, an event without id, a sample)', () => {
    const common = [
      { type: 'span', id: 's', kind: 'llm', name: 'm', start: 1, end: 2, inputTokens: 3, attrs: { a: 1 } },
      { type: 'event', ts: 5, name: 'e', agentId: null, attrs: { k: 'v' } },
      { type: 'metric', name: 'q', value: 2.5, ts: 9, labels: { l: 'x' } },
    ]
    for (const r of common) {
      expect(fastPathOf(r, { runId: 'r', versioned: true })).not.toBeNull()
      expect(parseLiveRecord(r, 1, { runId: 'r', versioned: true })).toEqual(parseNdjsonRecord(r, 1, { runId: 'r', versioned: true }))
    }
  })
})
