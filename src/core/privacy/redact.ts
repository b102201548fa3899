import { homedir } from 'node:os'
import { DEFAULT_RULES, shannonEntropy, type RedactionRule } from './rules'

export { DEFAULT_RULES, ENTROPY_MIN_LENGTH, ENTROPY_THRESHOLD, compileRules, shannonEntropy, type RedactionRule, type RedactionRuleSpec } from './rules'

/** Redaction passes before giving up on a fixpoint (only a user rule whose output matches itself gets near it). */
const MAX_PASSES = 8

/** Expands `$1`, `$<name>`, `$&` and `$$` in a replacement. */
function expand(template: string, match: RegExpExecArray): string {
  if (!template.includes('$')) return template
  return template.replace(/\$(?:<([^>]+)>|(\d{1,2})|(&)|(\$))/g, (_m, name?: string, index?: string, whole?: string, dollar?: string) => {
    if (name !== undefined) return match.groups?.[name] ?? ''
    if (index !== undefined) return match[Number(index)] ?? ''
    if (whole !== undefined) return match[0]
    return dollar ?? ''
  })
}

/** A rule's hints as one regular expression (case-insensitive when the rule is). */
const hintCache = new WeakMap<RedactionRule, RegExp | null>()
function hintOf(rule: RedactionRule): RegExp | null {
  let re = hintCache.get(rule)
  if (re === undefined) {
    re = rule.hints?.length ? new RegExp(rule.hints.map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), rule.pattern.ignoreCase ? 'i' : '') : null
    hintCache.set(rule, re)
  }
  return re
}

function applyRule(text: string, rule: RedactionRule): string {
  const hint = hintOf(rule)
  if (hint && !hint.test(text)) return text
  const replacement = rule.replacement ?? `[REDACTED:${rule.id}]`
  const re = rule.pattern.global ? rule.pattern : new RegExp(rule.pattern.source, rule.pattern.flags + 'g')
  re.lastIndex = 0
  let out = ''
  let last = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null) {
    if (m[0] === '') {
      re.lastIndex++ // a pattern that can match nothing must still move on
      continue
    }
    if (rule.minEntropy !== undefined && shannonEntropy(m.groups?.value ?? m[0]) < rule.minEntropy) continue
    out += text.slice(last, m.index) + expand(replacement, m)
    last = m.index + m[0].length
  }
  return last === 0 ? text : out + text.slice(last)
}

/** One test for "could any of these rules match?" (null when a rule has no hints: it always might). */
const anyHintCache = new WeakMap<readonly RedactionRule[], RegExp | null>()
function anyHintOf(rules: readonly RedactionRule[]): RegExp | null {
  let re = anyHintCache.get(rules)
  if (re === undefined) {
    const parts = rules.map((r) => hintOf(r))
    // Case-insensitive throughout: a looser test than the rules' own, so it never skips a match.
    re = parts.every((p) => p !== null) ? new RegExp(parts.map((p) => `(?:${p!.source})`).join('|'), 'i') : null
    anyHintCache.set(rules, re)
  }
  return re
}

function pass(text: string, rules: readonly RedactionRule[]): string {
  let t = text
  for (const rule of rules) t = applyRule(t, rule)
  return t
}

/**
 * Replaces secrets and personal data in `text` (see DEFAULT_RULES for the list), then the
 * `extraRules` after them. Idempotent: the rules are applied until the text stops changing,
 * so `redact(redact(x)) === redact(x)`.
 */
export function redact(text: string, extraRules: readonly RedactionRule[] = []): string {
  const rules = extraRules.length ? [...DEFAULT_RULES, ...extraRules] : DEFAULT_RULES
  if (!extraRules.length && !anyHintOf(DEFAULT_RULES)!.test(text)) return text
  let current = text
  for (let i = 0; i < MAX_PASSES; i++) {
    const next = pass(current, rules)
    if (next === current) return current
    current = next
  }
  return current
}

let home: string | null | undefined
function homeDir(): string | null {
  if (home === undefined) {
    try {
      const h = homedir().replace(/[\\/]+$/, '')
      // A home folder of '/' or a drive root would turn every path into '~'.
      home = h.length > 3 && h !== '/root' ? h : null
    } catch {
      home = null
    }
  }
  return home
}

/**
 * A path fit to keep as metadata: this machine's home folder (wherever it is) and any
 * /home/<user>, /Users/<user>, C:\Users\<user> become `~`, and the text rules run too.
 */
export function redactPath(p: string, extraRules: readonly RedactionRule[] = []): string {
  const h = homeDir()
  let out = p
  if (h && (out === h || out.startsWith(h + '/') || out.startsWith(h + '\\'))) out = '~' + out.slice(h.length)
  return redact(out, extraRules)
}

/**
 * Redacts every string in a JSON-like value (object keys are kept); other values are returned as
 * they are. `dropNulls` leaves out object members whose value is null, as SQLite's json_patch
 * does when it merges attributes: a row written once then must read as one written twice.
 */
export function redactDeep<T>(value: T, extraRules: readonly RedactionRule[] = [], dropNulls = false): T {
  if (typeof value === 'string') return (value.length < 6 && extraRules.length === 0 ? value : redact(value, extraRules)) as T
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, extraRules, dropNulls)) as T
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) if (!dropNulls || v !== null) out[k] = redactDeep(v, extraRules, dropNulls)
    return out as T
  }
  return value
}
