import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { firstErrorOffset, jsonFailure } from '../../src/core/ingest/json-error'

const failureOf = (text: string) => {
  try {
    JSON.parse(text)
  } catch (e) {
    return jsonFailure(text, e)
  }
  throw new Error('parsed')
}

describe('the line a whole-file JSON error is on', () => {
  it('names the line where a pretty-printed file breaks, whatever V8 says about it', () => {
    const lines = ['{', '  "a": 1,', '  "b": [1, 2,', '    3],', '  "c": }', '}']
    expect(failureOf(lines.join('\n')).line).toBe(5)
    expect(failureOf(lines.join('\r\n')).line).toBe(5)
    // Cut off inside a string (V8 names a position) and after a comma (it does not).
    expect(failureOf('{\n "a": "x\n').line).toBe(2)
    expect(failureOf('{\n "a": 1,\n').line).toBe(3)
    expect(failureOf('[1,\n2,\n3\n').line).toBe(4)
    expect(failureOf('{"a": 1}\n{"b": 2}').line).toBe(2)
    expect(failureOf('   ').line).toBeNull()
  })

  it('keeps the report short for a long minified line', () => {
    const f = failureOf(`{"a": "${'x'.repeat(5000)}", }`)
    expect(f.line).toBe(1)
    expect(f.reason.length).toBeLessThan(230)
    expect(f.reason).toMatch(/^not valid JSON \(/)
  })

  it('agrees with JSON.parse on what is valid (2,000 generated texts, valid and broken)', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.constantFrom('', '}', ',', '"', 'x', ']', '\\'), (json, cut, junk) => {
        const text = json.slice(0, cut % (json.length + 1)) + junk
        let valid = true
        try {
          JSON.parse(text)
        } catch {
          valid = false
        }
        expect(firstErrorOffset(text) === null).toBe(valid)
        expect(firstErrorOffset(json)).toBeNull()
      }),
      { numRuns: 2000 },
    )
  })
})
