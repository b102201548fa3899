import type { Direction } from '../../shared/analysis-dto'
import { type AgentRow, latencyOf, type SpanRow, tokensOf } from './span-data'
import { median } from './stats'

// What is compared between two sides. A side of one run is compared span by span (each LLM
// call is a sample); a side of several runs is compared run by run (each run gives one value),
// since spans of one run are not independent of each other across runs.

/** One logical run: the spans of one or more stored runs taken together. */
export interface Unit {
  runIds: string[]
  spans: SpanRow[]
  agents: AgentRow[]
}

export type Criterion = 'latency' | 'cost' | 'tokens' | 'errorRate' | 'throughput'

export interface MetricDef {
  metric: string
  label: string
  unit: string
  direction: Direction
  criterion: Criterion | null
  /** Samples when comparing span by span; null when the metric has no per-span form. */
  perSpan: ((spans: SpanRow[]) => number[]) | null
  /** One value per run when comparing run by run; null when the run has nothing to measure. */
  perRun: ((u: Unit) => number | null) | null
}

const isCall = (s: SpanRow) => s.kind === 'llm' || s.kind === 'tool'
const latencies = (spans: SpanRow[], kind: 'llm' | 'tool') =>
  spans.flatMap((s) => {
    const ms = s.kind === kind ? latencyOf(s) : null
    return ms === null ? [] : [ms]
  })
const llmTokens = (spans: SpanRow[]) => spans.flatMap((s) => (s.kind === 'llm' && tokensOf(s) !== null ? [tokensOf(s) as number] : []))
const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

/** Output tokens per second of LLM call time: generation speed, the one metric where higher is better. */
const throughputOf = (s: SpanRow) => {
  const ms = latencyOf(s)
  return s.kind === 'llm' && ms !== null && ms > 0 && s.outputTokens !== null ? { out: s.outputTokens, ms } : null
}

export const METRICS: MetricDef[] = [
  {
    metric: 'llm_latency_ms', label: 'LLM latency', unit: 'ms', direction: 'lower-is-better', criterion: 'latency',
    perSpan: (s) => latencies(s, 'llm'),
    // The run's median: one slow call should not stand for the whole run.
    perRun: (u) => median(latencies(u.spans, 'llm')),
  },
  {
    metric: 'tool_latency_ms', label: 'Tool latency', unit: 'ms', direction: 'lower-is-better', criterion: null,
    perSpan: (s) => latencies(s, 'tool'),
    perRun: (u) => median(latencies(u.spans, 'tool')),
  },
  {
    metric: 'tokens_per_llm_call', label: 'Tokens per LLM call', unit: 'tokens', direction: 'lower-is-better', criterion: 'tokens',
    perSpan: llmTokens,
    perRun: (u) => {
      const t = llmTokens(u.spans)
      return t.length ? total(t) / t.length : null
    },
  },
  {
    metric: 'cost_per_llm_call_usd', label: 'Cost per LLM call', unit: 'USD', direction: 'lower-is-better', criterion: 'cost',
    perSpan: (s) => s.flatMap((x) => (x.kind === 'llm' && x.costUsd !== null ? [x.costUsd] : [])),
    perRun: null,
  },
  {
    metric: 'cost_per_run_usd', label: 'Cost per run', unit: 'USD', direction: 'lower-is-better', criterion: 'cost',
    perSpan: null,
    perRun: (u) => total(u.spans.flatMap((x) => (x.kind === 'llm' && x.costUsd !== null ? [x.costUsd] : []))),
  },
  {
    metric: 'error_rate', label: 'Error rate', unit: 'fraction', direction: 'lower-is-better', criterion: 'errorRate',
    // Per span a 0/1 outcome; the tests then compare two proportions.
    perSpan: (s) => s.filter(isCall).map((x) => (x.status === 'error' ? 1 : 0)),
    perRun: (u) => {
      const calls = u.spans.filter(isCall)
      return calls.length ? calls.filter((x) => x.status === 'error').length / calls.length : null
    },
  },
  {
    metric: 'wall_time_ms', label: 'Wall time', unit: 'ms', direction: 'lower-is-better', criterion: null,
    perSpan: null,
    perRun: (u) => {
      let lo = Infinity
      let hi = -Infinity
      for (const s of u.spans) {
        if (s.startMs !== null) lo = Math.min(lo, s.startMs)
        if (s.endMs !== null || s.startMs !== null) hi = Math.max(hi, (s.endMs ?? s.startMs) as number)
      }
      return Number.isFinite(lo) && Number.isFinite(hi) ? hi - lo : null
    },
  },
  {
    metric: 'throughput_tokens_per_s', label: 'Output tokens per second', unit: 'tokens/s', direction: 'higher-is-better', criterion: 'throughput',
    perSpan: (s) => s.flatMap((x) => {
      const t = throughputOf(x)
      return t ? [t.out / (t.ms / 1000)] : []
    }),
    perRun: (u) => {
      const ts = u.spans.flatMap((x) => (throughputOf(x) ? [throughputOf(x)!] : []))
      const ms = total(ts.map((t) => t.ms))
      return ms > 0 ? total(ts.map((t) => t.out)) / (ms / 1000) : null
    },
  },
]

/** The samples of one metric for one side, or null when the metric does not apply in this mode. */
export function samplesOf(def: MetricDef, units: Unit[], mode: 'spans' | 'runs'): number[] | null {
  if (mode === 'spans') return def.perSpan ? def.perSpan(units.flatMap((u) => u.spans)) : null
  if (!def.perRun) return null
  return units.map(def.perRun).filter((x): x is number => x !== null && Number.isFinite(x))
}
