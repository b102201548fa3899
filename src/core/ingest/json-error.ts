// Where a whole-file JSON.parse failed, as a line number: a pretty-printed file of 2,000 lines
// reported as "not valid JSON" leaves the user searching. V8's messages name a position for
// some errors only ("Unterminated string in JSON at position 50000") and none for others
// ("Unexpected token '}', … is not valid JSON"), so after a failure (never on the good path)
// the text is scanned again by a small validator that stops where the grammar breaks.

export interface JsonFailure {
  /** 1-based line of the failure; null for an empty text. */
  line: number | null
  reason: string
}

export function jsonFailure(text: string, error: unknown): JsonFailure {
  const message = error instanceof Error ? error.message : String(error)
  // V8 quotes the text around the error: a line of minified JSON would flood the report.
  const short = message.length > 200 ? `${message.slice(0, 200)}…` : message
  const at = firstErrorOffset(text)
  return { line: text.trim() === '' ? null : lineAt(text, at ?? text.length), reason: `not valid JSON (${short})` }
}

/** 1-based line of a character position (clamped to the text). */
export function lineAt(text: string, position: number): number {
  const end = Math.min(Math.max(position, 0), text.length)
  let line = 1
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) line++
  return line
}

class Stop {
  constructor(readonly at: number) {}
}

/** Offset of the first character where `text` stops being JSON, or null when it is valid. */
export function firstErrorOffset(text: string): number | null {
  let i = 0
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++
  }
  const fail = (): never => {
    throw new Stop(i)
  }
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length
    else fail()
  }
  const string = () => {
    i++ // the opening quote
    for (;;) {
      const c = text.charCodeAt(i)
      if (Number.isNaN(c) || c < 0x20) fail()
      if (c === 0x22) return void i++
      if (c === 0x5c) {
        const e = text[i + 1]
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6
        else if (e !== undefined && e !== 'u' && '"\\/bfnrt'.includes(e)) i += 2
        else {
          i++ // the place is the bad escape, after its backslash
          fail()
        }
      } else i++
    }
  }
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (!m) fail()
    i += m![0].length
  }
  const value = (depth: number): void => {
    if (depth > 5000) fail()
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      ws()
      if (text[i] === '}') return void i++
      for (;;) {
        ws()
        if (text[i] !== '"') fail()
        string()
        ws()
        if (text[i] !== ':') fail()
        i++
        value(depth + 1)
        ws()
        if (text[i] === ',') i++
        else if (text[i] === '}') return void i++
        else fail()
      }
    } else if (c === '[') {
      i++
      ws()
      if (text[i] === ']') return void i++
      for (;;) {
        value(depth + 1)
        ws()
        if (text[i] === ',') i++
        else if (text[i] === ']') return void i++
        else fail()
      }
    } else if (c === '"') string()
    else if (c === 't') literal('true')
    else if (c === 'f') literal('false')
    else if (c === 'n') literal('null')
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number()
    else fail()
  }
  try {
    if (text.charCodeAt(0) === 0xfeff) i++ // a BOM: JSON.parse refuses it too, but say so at line 1
    value(0)
    ws()
    if (i < text.length) fail()
    return null
  } catch (e) {
    if (e instanceof Stop) return e.at
    throw e
  }
}
