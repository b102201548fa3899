import { createHmac, randomBytes } from 'node:crypto'
import type { AgentSummary, RunOverview, RunSummary } from '../../shared/dto'
import { redact, type RedactionRule } from './redact'

/**
 * Stable pseudonyms for what leaves the machine (reports, bundles, CSV/NDJSON/OTLP exports, MCP
 * answers): project, agent, run, session, host, group and tag names become `<kind>-<hex>`,
 * where hex starts an HMAC-SHA256 of the kind and the value keyed by a per-export salt.
 *
 * - The same salt gives the same pseudonym for the same value, so two exports can be compared
 *   when (and only when) the user passes the same salt to both.
 * - A fresh Pseudonymizer draws a random salt: its exports cannot be joined with any other.
 * - Numbers (tokens, costs, durations, counts) and timestamps never change.
 * - Pseudonyms are 4 hex digits long; when two values of one kind collide within an export, the
 *   later one gets more digits (so a pseudonym is stable across exports unless it collided).
 */
export class Pseudonymizer {
  readonly salt: string
  private readonly length: number
  private readonly byValue = new Map<string, string>()
  private readonly byPseudonym = new Map<string, string>()
  /** Values that free text is searched for (names, ids of runs and agents…), with what replaces them. */
  private readonly inText = new Map<string, string>()
  private index: Map<string, { value: string; lead: number; pseudonym: string }[]> | null = null
  private readonly rules: readonly RedactionRule[]

  constructor(salt?: string, opts: { length?: number; redactRules?: readonly RedactionRule[] } = {}) {
    this.salt = salt && salt.length > 0 ? salt : randomBytes(16).toString('hex')
    this.length = Math.min(64, Math.max(4, opts.length ?? 4))
    this.rules = opts.redactRules ?? []
  }

  /** `kind-xxxx` for `value`; the same (salt, kind, value) always gives the same answer. */
  pseudonym(kind: string, value: string): string {
    const k = kindOf(kind)
    const key = `${k}\u0000${value}`
    const known = this.byValue.get(key)
    if (known) return known
    const hex = createHmac('sha256', this.salt).update(key).digest('hex')
    let n = this.length
    let out = `${k}-${hex.slice(0, n)}`
    while (this.byPseudonym.has(out) && this.byPseudonym.get(out) !== key && n < hex.length) out = `${k}-${hex.slice(0, ++n)}`
    this.byValue.set(key, out)
    this.byPseudonym.set(out, key)
    this.alias(value, out)
    return out
  }

  /**
   * An id that only has to stay distinct (an API request id, a trace id): `kind-` and 12 hex
   * digits of the same HMAC, not remembered, so a million of them cost no memory and are never
   * searched for in text.
   */
  opaque(kind: string, value: string): string {
    const k = kindOf(kind)
    return `${k}-${createHmac('sha256', this.salt).update(`${k}\u0000${value}`).digest('hex').slice(0, 12)}`
  }

  /** Replace `value` by `pseudonym` wherever it appears in free text (e.g. a run's name by the run's pseudonym). */
  alias(value: string, pseudonym: string): void {
    // Shorter values ('qa', 'a1') would replace parts of ordinary words.
    if (value.length < 4 || this.inText.get(value) === pseudonym || !/[\p{L}\p{N}_]/u.test(value)) return
    if (!this.inText.has(value) || this.inText.get(value)!.length > pseudonym.length) this.inText.set(value, pseudonym)
    this.index = null
  }

  project = (name: string) => this.pseudonym('project', name)
  agent = (name: string) => this.pseudonym('agent', name)
  run = (id: string) => this.pseudonym('run', id)
  session = (id: string) => this.pseudonym('session', id)
  host = (name: string) => this.pseudonym('host', name)
  group = (name: string) => this.pseudonym('group', name)
  tag = (value: string) => this.pseudonym('tag', value)

  /**
   * Free text (an error message, a span name): secrets and personal paths redacted, then every
   * name already pseudonymized replaced where it stands as a whole word (so the agent `main`
   * does not change `domain`), longest first, in one pass (a pseudonym is never rewritten).
   */
  text(s: string): string {
    const redacted = redact(s, this.rules)
    if (this.inText.size === 0) return redacted
    const index = this.wordIndex()
    let out = ''
    let last = 0
    for (const m of redacted.matchAll(WORD)) {
      const at = m.index
      if (at < last) continue
      const hit = index.get(m[0])?.find((c) => at - c.lead >= last && redacted.startsWith(c.value, at - c.lead) && !isWordChar(redacted, at - c.lead + c.value.length) && !isWordChar(redacted, at - c.lead - 1))
      if (!hit) continue
      out += redacted.slice(last, at - hit.lead) + hit.pseudonym
      last = at - hit.lead + hit.value.length
    }
    return last === 0 ? redacted : out + redacted.slice(last)
  }

  /** The values to look for, by their first word: a text is scanned word by word, not once per value. */
  private wordIndex() {
    if (this.index) return this.index
    const index = new Map<string, { value: string; lead: number; pseudonym: string }[]>()
    for (const [value, pseudonym] of this.inText) {
      const first = value.match(WORD_ONE)!
      const list = index.get(first[0]) ?? []
      list.push({ value, lead: first.index!, pseudonym })
      index.set(first[0], list)
    }
    for (const list of index.values()) list.sort((a, b) => b.value.length - a.value.length)
    this.index = index
    return index
  }

  /**
   * A copy of a JSON-like value where strings under the given keys become pseudonyms of the
   * given kind (e.g. `{ runId: 'run', agentId: 'agent', host: 'host' }`), other strings go
   * through `text()`, and numbers, booleans and nulls are kept as they are.
   */
  record<T>(value: T, fields: Readonly<Record<string, string>>): T {
    const walk = (v: unknown, kind: string | undefined): unknown => {
      if (typeof v === 'string') return kind ? this.pseudonym(kind, v) : this.text(v)
      if (Array.isArray(v)) return v.map((x) => walk(x, kind))
      if (v && typeof v === 'object') {
        const out: Record<string, unknown> = {}
        for (const [k, x] of Object.entries(v)) out[k] = walk(x, fields[k])
        return out
      }
      return v
    }
    return walk(value, undefined) as T
  }

  /** value → pseudonym pairs, for the user's own records. Never export this with the data. */
  mapping(): { kind: string; value: string; pseudonym: string }[] {
    return [...this.byValue.entries()].map(([key, pseudonym]) => {
      const i = key.indexOf('\u0000')
      return { kind: key.slice(0, i), value: key.slice(i + 1), pseudonym }
    })
  }
}

const WORD = /[\p{L}\p{N}_]+/gu
const WORD_ONE = /[\p{L}\p{N}_]+/u
const isWordChar = (s: string, i: number) => i >= 0 && i < s.length && /[\p{L}\p{N}_]/u.test(s[i])
const kindOf = (kind: string) => kind.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'id'

export interface AnonymizeOptions {
  /** Keep group names as they are (e.g. 'baseline'); pseudonymized by default. */
  keepGroups?: boolean
  /** Keep tag values as they are (e.g. model=sonnet); pseudonymized by default. Tag keys are always kept. */
  keepTags?: boolean
}

/** A run summary fit to leave the machine: id, name, group and tag values pseudonymized; every number unchanged. */
export function anonymizeRunSummary(run: RunSummary, p: Pseudonymizer, opts: AnonymizeOptions = {}): RunSummary {
  const id = p.run(run.id)
  return {
    ...run,
    id,
    name: id,
    group: run.group === null ? null : opts.keepGroups ? run.group : p.group(run.group),
    tags: Object.fromEntries(Object.entries(run.tags).map(([k, v]) => [k, opts.keepTags ? v : p.tag(`${k}=${v}`)])),
    unpricedModels: [...run.unpricedModels],
  }
}

export function anonymizeAgent(a: AgentSummary, p: Pseudonymizer): AgentSummary {
  return { ...a, id: p.agent(a.id), name: p.agent(a.name), parentAgentId: a.parentAgentId === null ? null : p.agent(a.parentAgentId) }
}

/** A run overview fit to leave the machine: the run and its agents pseudonymized (agent types kept), token series unchanged. */
export function anonymizeOverview(o: RunOverview, p: Pseudonymizer, opts: AnonymizeOptions = {}): RunOverview {
  return {
    ...o,
    run: anonymizeRunSummary(o.run, p, opts),
    agents: o.agents.map((a) => anonymizeAgent(a, p)),
    tokensOverTime: o.tokensOverTime.map((t) => ({ ...t })),
  }
}
