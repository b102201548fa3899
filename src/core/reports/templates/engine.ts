import { CoreError } from '../../../shared/result'

// A small, safe template language for report layouts (documented in docs/templates.md):
//
//   {{path.to.value}}                 the value, escaped for the output format (never raw)
//   {{#each list}} … {{else}} … {{/each}}   repeat; inside, {{field}}, {{this}}, {{@index}}, {{@number}}
//   {{#if value}} … {{else}} … {{/if}}      non-empty lists/strings, non-zero numbers and true are truthy
//   {{#unless value}} … {{/unless}}
//   {{> partial argument}}            markup the renderer generates itself: {{> chart this}},
//                                     {{> table "agents"}} (a field, or an id in quotes), {{> styles}}
//   {{! comment }}
//
// There is no way to print a value unescaped: markup only ever comes from partials, which
// build it from escaped values. Errors name the template file and line.

type Node =
  | { type: 'text'; text: string }
  | { type: 'value'; path: string; line: number }
  | { type: 'partial'; name: string; arg: string | null; line: number }
  | { type: 'block'; kind: 'each' | 'if' | 'unless'; path: string; line: number; body: Node[]; alt: Node[] }

export interface Template {
  file: string
  nodes: Node[]
}

export interface RenderOptions {
  escape: (s: string) => string
  /** Trusted generators: each receives the resolved argument and returns finished markup. */
  partials: Record<string, (arg: unknown, argPath: string | null) => string>
}

const TAG = /\{\{(.*?)\}\}/gs
const LITERAL = /^"[\w.-]*"$/
const PATH = /^(?:this|\.|@index|@number|@first|@last|[A-Za-z_][\w-]*(?:\.[A-Za-z_0-9][\w-]*)*)$/

export function parseTemplate(source: string, file: string): Template {
  const root: Node[] = []
  const stack: { node: Extract<Node, { type: 'block' }>; inAlt: boolean }[] = []
  const target = () => {
    const top = stack[stack.length - 1]
    return top ? (top.inAlt ? top.node.alt : top.node.body) : root
  }
  const lineAt = (index: number) => source.slice(0, index).split('\n').length
  const fail = (line: number, msg: string): never => {
    throw new CoreError('bad_request', `${file}:${line}: ${msg}`)
  }
  let last = 0
  for (const m of source.matchAll(TAG)) {
    const index = m.index
    if (index > last) target().push({ type: 'text', text: source.slice(last, index) })
    last = index + m[0].length
    const line = lineAt(index)
    const inner = m[1].trim()
    if (inner.startsWith('{') || m[0].startsWith('{{{')) fail(line, 'triple braces (unescaped output) are not supported: every value is escaped')
    if (inner.startsWith('!')) continue
    if (inner.startsWith('#')) {
      const [kind, path, ...rest] = inner.slice(1).trim().split(/\s+/)
      if (kind !== 'each' && kind !== 'if' && kind !== 'unless') fail(line, `unknown block {{#${kind}}}; use #each, #if or #unless`)
      if (!path || rest.length || !PATH.test(path)) fail(line, `{{#${kind}}} needs one field path, got "${inner}"`)
      const node = { type: 'block' as const, kind: kind as 'each' | 'if' | 'unless', path, line, body: [], alt: [] }
      target().push(node)
      stack.push({ node, inAlt: false })
    } else if (inner === 'else') {
      const top = stack[stack.length - 1]
      if (!top || top.inAlt) fail(line, '{{else}} outside a block, or twice in one block')
      top.inAlt = true
    } else if (inner.startsWith('/')) {
      const kind = inner.slice(1).trim()
      const top = stack.pop()
      if (!top) fail(line, `{{/${kind}}} closes nothing`)
      else if (top.node.kind !== kind) fail(line, `{{/${kind}}} closes {{#${top.node.kind}}} opened at line ${top.node.line}`)
    } else if (inner.startsWith('>')) {
      const [name, arg, ...rest] = inner.slice(1).trim().split(/\s+/)
      if (!name || rest.length || (arg !== undefined && !PATH.test(arg) && !LITERAL.test(arg))) fail(line, `{{> partial [field or "id"]}} expected, got "${inner}"`)
      target().push({ type: 'partial', name, arg: arg ?? null, line })
    } else {
      if (!PATH.test(inner)) fail(line, `"{{${inner}}}" is not a field path (letters, digits, _ and - separated by dots)`)
      target().push({ type: 'value', path: inner, line })
    }
  }
  if (last < source.length) target().push({ type: 'text', text: source.slice(last) })
  const open = stack.pop()
  if (open) fail(open.node.line, `{{#${open.node.kind} ${open.node.path}}} is never closed`)
  return { file, nodes: root }
}

interface Frame {
  value: unknown
  index?: number
  count?: number
}

function lookup(stack: Frame[], path: string): unknown {
  const top = stack[stack.length - 1]
  if (path === 'this' || path === '.') return top.value
  if (path === '@index') return top.index
  if (path === '@number') return top.index === undefined ? undefined : top.index + 1
  if (path === '@first') return top.index === 0
  if (path === '@last') return top.index !== undefined && top.index === (top.count ?? 0) - 1
  const [head, ...rest] = path.replace(/^this\./, '').split('.')
  // Mustache-style: the first segment is looked up from the innermost scope outwards.
  let value: unknown
  for (let i = stack.length - 1; i >= 0; i--) {
    const v = stack[i].value
    if (v !== null && typeof v === 'object' && Object.hasOwn(v, head)) {
      value = (v as Record<string, unknown>)[head]
      break
    }
  }
  for (const key of rest) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

const truthy = (v: unknown) => (Array.isArray(v) ? v.length > 0 : Boolean(v))

export function renderTemplate(t: Template, data: unknown, opts: RenderOptions): string {
  const out: string[] = []
  const walk = (nodes: Node[], stack: Frame[]) => {
    for (const n of nodes) {
      if (n.type === 'text') out.push(n.text)
      else if (n.type === 'value') {
        const v = lookup(stack, n.path)
        if (v === null || v === undefined) continue
        if (typeof v === 'object') throw new CoreError('bad_request', `${t.file}:${n.line}: {{${n.path}}} is a list or object; print one of its fields or use {{#each}}`)
        out.push(opts.escape(String(v)))
      } else if (n.type === 'partial') {
        const partial = opts.partials[n.name]
        if (!partial) throw new CoreError('bad_request', `${t.file}:${n.line}: unknown partial {{> ${n.name}}}; available: ${Object.keys(opts.partials).join(', ')}`)
        try {
          const arg = n.arg === null ? undefined : LITERAL.test(n.arg) ? n.arg.slice(1, -1) : lookup(stack, n.arg)
          out.push(partial(arg, n.arg))
        } catch (e) {
          throw new CoreError('bad_request', `${t.file}:${n.line}: ${(e as Error).message}`)
        }
      } else {
        const v = lookup(stack, n.path)
        if (n.kind === 'each') {
          if (v !== undefined && v !== null && !Array.isArray(v)) throw new CoreError('bad_request', `${t.file}:${n.line}: {{#each ${n.path}}} needs a list`)
          const list = (v ?? []) as unknown[]
          if (list.length === 0) walk(n.alt, stack)
          list.forEach((item, index) => walk(n.body, [...stack, { value: item, index, count: list.length }]))
        } else if (truthy(v) === (n.kind === 'if')) walk(n.body, stack)
        else walk(n.alt, stack)
      }
    }
  }
  walk(t.nodes, [{ value: data }])
  return out.join('')
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"'`]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c] as string)

/**
 * Markdown text that renders as itself: HTML is neutralised as entities, the characters of
 * emphasis, code, links and tables are backslash-escaped (CommonMark allows it for any ASCII
 * punctuation), a leading heading or list marker is escaped, and line breaks become spaces so a
 * value cannot start a block of its own. Without `[` a `(` or `!` cannot form a link or image.
 */
export const escapeMarkdown = (s: string) =>
  s
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/^([-=#+])(?=[\s#=]|$)/, '\\$1')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2')
