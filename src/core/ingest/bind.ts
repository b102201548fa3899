import { builtInPrices, costOf, findPrice, type PriceTable } from '../pricing/price'
import { redact, redactDeep, type RedactionRule } from '../privacy/redact'
import type { AgentMove, AgentRecord, ContentPolicy, ContentRecord, EventRecord, MetricRecord, RunRecord, SpanEnd, SpanRecord } from './records'

// Records → the parameters of the writer's statements (writer.ts), in their SQL order. Pure, so
// the parse worker can do it too: redaction, costing and JSON happen where the parsing happens,
// and the thread that owns the database only runs statements.

export type Row = unknown[]

export interface BindOptions {
  contentPolicy: ContentPolicy
  now: () => number
  redactRules?: readonly RedactionRule[]
  prices?: PriceTable
}

/** Names (tools, models, agents, event names) repeat on every span: their redaction is remembered. */
const MEMO_MAX_LENGTH = 128
const MEMO_ENTRIES = 4096

/**
 * `redact` with a memory of recent short names. Redaction is a pure function of the text and
 * the rules, so a remembered result is exactly what redacting again would give. Attributes
 * (mostly unique ids) are redacted without it: a map lookup there costs more than it saves.
 */
function memoRedactor(rules: readonly RedactionRule[]) {
  const memo = new Map<string, string>()
  return (s: string): string => {
    if (s.length > MEMO_MAX_LENGTH) return redact(s, rules)
    let out = memo.get(s)
    if (out === undefined) {
      if (memo.size >= MEMO_ENTRIES) memo.clear()
      out = redact(s, rules)
      memo.set(s, out)
    }
    return out
  }
}

/** costOf with the price lookup (a scan of the whole table) done once per model name. */
function memoCost(prices: PriceTable) {
  const byModel = new Map<string | null, PriceTable>()
  return (s: SpanRecord): number | null => {
    const model = s.model ?? null
    let table = byModel.get(model)
    if (!table) {
      // The best match alone prices exactly as the whole table does.
      const best = findPrice(model, prices)
      table = { version: prices.version, models: best ? [best] : [] }
      byModel.set(model, table)
    }
    return costOf({
      model,
      inputTokens: s.inputTokens ?? 0,
      outputTokens: s.outputTokens ?? 0,
      cacheCreationTokens: s.cacheCreationTokens ?? 0,
      cacheCreation5mTokens: s.cacheCreation5mTokens,
      cacheCreation1hTokens: s.cacheCreation1hTokens,
      cacheReadTokens: s.cacheReadTokens ?? 0,
    }, table)
  }
}

/**
 * Privacy: names, errors, attributes and labels always go through the redactor, whatever the
 * content policy; text (`content`) is dropped under 'none' (null), redacted under 'redacted'
 * and kept as it is only under 'full'.
 */
export function createBinder(opts: BindOptions) {
  const rules = opts.redactRules ?? []
  const policy = opts.contentPolicy
  const meta = memoRedactor(rules)
  const metaOrNull = (s: string | null | undefined) => (s == null ? null : meta(s))
  // Null members are left out: the upserts merge attributes with json_patch, which drops them,
  // so a span written again (a file read again whole) must not read differently from its first write.
  const attrs = (o: Record<string, unknown> | undefined) => (o ? JSON.stringify(redactDeep(o, rules, true)) : '{}')
  const cost = memoCost(opts.prices ?? builtInPrices)
  return {
    content(c: ContentRecord): Row | null {
      if (policy === 'none' || c.text === '') return null
      const text = policy === 'redacted' ? redact(c.text, rules) : c.text
      return [c.runId, c.spanId, c.part, c.seq ?? '', c.ts ?? null, text, policy]
    },
    run(r: RunRecord): Row {
      const now = opts.now()
      return [r.id, r.source, r.format, meta(r.name), policy, attrs(r.attrs), now, now]
    },
    agent(a: AgentRecord): Row {
      const name = metaOrNull(a.name)
      // Anonymous parameters in SQL order: the name is bound again where the update (and its
      // no-op test: re-reading a file must not rewrite its agents' rows) reads it.
      return [a.runId, a.id, name, a.id, a.type ?? null, a.parentAgentId ?? null, a.parentSpanId ?? null, attrs(a.attrs), name, name, name, name]
    },
    span(s: SpanRecord): Row {
      const usd = s.costUsd ?? (s.kind === 'llm' && s.inputTokens != null ? cost(s) : null)
      return [
        s.runId, s.id, s.parentId ?? null, s.agentId ?? null, s.kind, meta(s.name), s.startMs ?? null, s.endMs ?? null, s.status ?? 'unset',
        metaOrNull(s.error), s.model ?? null, s.inputTokens ?? null, s.outputTokens ?? null, s.cacheCreationTokens ?? null,
        s.cacheCreation5mTokens ?? null, s.cacheCreation1hTokens ?? null, s.cacheReadTokens ?? null, usd, s.reportedCostUsd ?? null, attrs(s.attrs),
      ]
    },
    endSpan(e: SpanEnd): Row {
      // The end a third time, last: the writer applies it only to a span that started by then.
      return [e.endMs, e.endMs, e.status, e.status, metaOrNull(e.error), attrs(e.attrs), e.runId, e.id, e.endMs]
    },
    event(e: EventRecord): Row {
      return [e.runId, e.id, e.ts, meta(e.name), e.severity ?? null, e.agentId ?? null, attrs(e.attrs)]
    },
    moveAgent(m: AgentMove): Row {
      // Agent ids are not redacted (agent rows keep theirs as they are).
      return [m.runId, m.from, m.to, meta(m.to)]
    },
    metric(m: MetricRecord): Row {
      return [m.runId, m.name, m.unit ?? null, m.ts, m.value, JSON.stringify(redactDeep(m.labels ?? {}, rules)), m.reported ? 1 : 0]
    },
  }
}

export type Binder = ReturnType<typeof createBinder>
