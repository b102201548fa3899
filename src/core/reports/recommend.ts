import type { Insight } from '../../shared/analysis-dto'
import type { ReportRecommendation } from '../../shared/report-model'
import * as f from '../analysis/format'

// What to do about a run's findings. Each recommendation is derived from one insight and
// carries that insight's numbers as its evidence; an insight that suggests no action (e.g. the
// cache already serves most prompt tokens) yields none. Severity follows the size of the effect.

type Ev = Insight['evidence']
const num = (e: Ev, k: string) => (typeof e[k] === 'number' ? (e[k] as number) : null)
const str = (e: Ev, k: string) => (e[k] === null || e[k] === undefined ? '' : String(e[k]))

function severity(share: number | null, warn: number, critical: number): ReportRecommendation['severity'] {
  if (share === null) return 'info'
  return share >= critical ? 'critical' : share >= warn ? 'warning' : 'info'
}

type Rule = (i: Insight) => Pick<ReportRecommendation, 'severity' | 'message'> | null

const RULES: Record<string, Rule> = {
  'cost-share-agent': (i) => {
    const s = num(i.evidence, 'share')
    if (s === null || s < 0.4) return null
    return { severity: severity(s, 0.5, 0.8), message: `Start with agent "${str(i.evidence, 'key')}" to cut cost: it spent ${f.usd(num(i.evidence, 'costUsd') ?? 0)} (${f.pct(s)}). Trim its context or route its routine calls to a cheaper model.` }
  },
  'cost-share-model': (i) => {
    const s = num(i.evidence, 'share')
    if (s === null || s < 0.5) return null
    return { severity: severity(s, 0.7, 0.9), message: `${f.pct(s)} of the cost went to ${str(i.evidence, 'key')}: check which of its calls a smaller model could answer.` }
  },
  'tool-latency-outlier': (i) => ({
    severity: severity(i.impact, 0.2, 0.5),
    message: `Speed up or cache tool "${str(i.evidence, 'tool')}": its p95 is ${f.ms(num(i.evidence, 'p95Ms') ?? 0)} against ${f.ms(num(i.evidence, 'otherP95Ms') ?? 0)} for the other tools.`,
  }),
  'tool-errors': (i) => {
    const rate = num(i.evidence, 'errorRate')
    return { severity: severity(rate, 0.05, 0.2), message: `Fix the failures of tool "${str(i.evidence, 'tool')}": ${num(i.evidence, 'errors')} of ${num(i.evidence, 'calls')} calls failed; each failure costs a retry turn.` }
  },
  'llm-latency-trend': (i) => {
    const slope = num(i.evidence, 'slopeMsPerMin') ?? 0
    if (slope <= 0) return null
    return { severity: severity(i.impact, 0.25, 0.5), message: `LLM calls slowed down as the run went on (+${f.ms(slope)} per minute): long-running agents accumulate context; consider compacting or splitting the work.` }
  },
  cache: (i) => {
    const hit = num(i.evidence, 'hitRatio')
    if (hit === null || hit >= 0.5) return null
    return { severity: 'warning', message: `Only ${f.pct(hit)} of prompt tokens came from the cache: keep stable prompt prefixes (system prompt, tools, files) first so they are cached.` }
  },
  parallelism: (i) => {
    const eff = num(i.evidence, 'parallelEfficiency')
    if (eff === null || eff >= 0.6) return null
    return { severity: severity(1 - eff, 0.5, 0.8), message: `Agents were idle ${f.pct(1 - eff)} of their time: run independent subagents concurrently rather than one after another.` }
  },
  'critical-path': (i) => {
    const s = num(i.evidence, 'longestMs')
    const wall = num(i.evidence, 'wallMs')
    if (s === null || !wall || s / wall < 0.2) return null
    return { severity: severity(s / wall, 0.3, 0.6), message: `One step, span ${str(i.evidence, 'longestSpanId')}, holds ${f.pct(s / wall)} of the wall time on the critical path: shortening it shortens the run.` }
  },
  'latency-anomalies': (i) => {
    const high = num(i.evidence, 'high') ?? 0
    if (high === 0) return null
    return { severity: 'warning', message: `Look at the ${high} span${high === 1 ? '' : 's'} with highly anomalous latency, starting with ${str(i.evidence, 'worstSpanId')} (${f.ms(num(i.evidence, 'worstMs') ?? 0)} against a median of ${f.ms(num(i.evidence, 'groupMedianMs') ?? 0)}).` }
  },
  'token-concentration': (i) => ({
    severity: 'info',
    message: `A few calls dominate token use (${f.pct(num(i.evidence, 'topShare') ?? 0)} in the largest ${num(i.evidence, 'topCalls')}): check what those calls read.`,
  }),
}

export function recommendationsFromInsights(insights: Insight[]): ReportRecommendation[] {
  const order = { critical: 0, warning: 1, info: 2 }
  return insights
    .flatMap((i) => {
      const r = RULES[i.kind]?.(i)
      return r ? [{ ...r, basis: `insight "${i.kind}": ${i.title}`, evidence: i.evidence }] : []
    })
    .sort((a, b) => order[a.severity] - order[b.severity])
}
