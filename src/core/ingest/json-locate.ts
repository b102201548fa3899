import { lineAt } from './json-error'

// The line of a value inside a whole (pretty-printed) JSON file, for the readers that parse a
// file at once (OTLP requests, claude-flow's JSON): parsed values carry no positions, so after
// something was skipped (never on the good path) the text is walked once more.

/** Where a value is in a document: field names and array indices. */
export type JsonPath = readonly (string | number)[]

/** A value as the file holds it, cut to `max` characters: enough to find it, never a whole subtree. */
export function valueText(v: unknown, max: number): string {
  if (v === undefined) return 'nothing'
  if (Buffer.isBuffer(v)) return `a ${v.length}-byte blob`
  const text = typeof v === 'number' || typeof v === 'bigint' ? String(v) : (JSON.stringify(v) ?? String(v))
  return text.length > max ? `${text.slice(0, max)}…` : text
}

/** `tasks[3].duration`, `workers.map.runCount`: what a user can follow in the file; keys that would read ambiguously are quoted. */
export function pathText(at: JsonPath): string {
  return at.map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[\w$-]+$/.test(k) ? `${i ? '.' : ''}${k}` : `[${JSON.stringify(k)}]`)).join('')
}

/** A path as its JSON text: unambiguous even for keys holding dots or brackets. */
const keyOf = (path: JsonPath) => JSON.stringify(path)
const child = (parent: string, k: string | number) => `${parent.slice(0, -1)}${parent === '[]' ? '' : ','}${JSON.stringify(k)}]`

/**
 * The line of each path's value in the text of a whole (pretty-printed) request, or of the
 * nearest enclosing value found when the field itself is missing (a point without a time).
 * Runs only after a problem, on text JSON.parse accepted: one scan that descends along the
 * wanted paths and skips everything else. A repeated key is found where JSON.parse takes it,
 * at its last occurrence.
 */
export function linesOf(text: string, paths: JsonPath[]): (number | null)[] {
  const prefixes = new Set<string>()
  for (const p of paths) for (let k = 0; k <= p.length; k++) prefixes.add(keyOf(p.slice(0, k)))
  const found = new Map<string, number>()
  let i = 0
  const ws = () => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
  }
  const skipString = () => {
    for (i++; i < text.length; i++) {
      if (text[i] === '\\') i++
      else if (text[i] === '"') return void i++
    }
  }
  const skipValue = () => {
    const c = text[i]
    if (c === '"') return skipString()
    if (c !== '{' && c !== '[') {
      // A number or a literal: it ends where the enclosing value goes on.
      while (i < text.length && !/[\s,\]}]/.test(text[i])) i++
      return
    }
    for (let depth = 0; i < text.length; ) {
      const d = text[i]
      if (d === '"') {
        skipString()
        continue
      }
      i++
      if (d === '{' || d === '[') depth++
      else if ((d === '}' || d === ']') && --depth === 0) return
    }
  }
  const visit = (path: string): void => {
    ws()
    if (!prefixes.has(path)) return skipValue()
    found.set(path, i)
    const open = text[i]
    if (open !== '{' && open !== '[') return skipValue()
    i++
    for (let n = 0; i < text.length; n++) {
      ws()
      if (text[i] === '}' || text[i] === ']') return void i++
      if (open === '{') {
        const start = i
        skipString()
        const raw = text.slice(start, i)
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1)
        ws()
        i++ // the colon
        visit(child(path, key))
      } else visit(child(path, n))
      ws()
      if (text[i] === ',') i++
    }
  }
  visit('[]')
  return paths.map((p) => {
    for (let k = p.length; k >= 0; k--) {
      const at = found.get(keyOf(p.slice(0, k)))
      if (at !== undefined) return lineAt(text, at)
    }
    return null
  })
}
