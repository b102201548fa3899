import type { BreakdownRow, MetricComparison, Recommendation, RunComparison } from '../../shared/analysis-dto'
import type { Criterion, Unit } from './compare-metrics'
import * as f from './format'
import { latencyOf, tokensOf } from './span-data'
import { mannWhitneyU } from './stats'

// Why two sides differ: which agents, tools and models moved, a weighted score over criteria,
// and recommendations that each cite the metric and numbers behind them.

type Dimension = BreakdownRow['dimension']
interface Acc { calls: number; timeMs: number; costUsd: number; tokens: number; errors: number; latencies: number[] }

/** Per (dimension, key) totals of one side. Agents are keyed by type (their role), as agent ids differ between runs. */
function accumulate(units: Unit[]): Map<string, Acc> {
  const out = new Map<string, Acc>()
  const add = (dim: Dimension, key: string, ms: number | null, cost: number | null, tokens: number | null, error: boolean) => {
    const k = `${dim}\u0000${key}`
    let a = out.get(k)
    if (!a) out.set(k, (a = { calls: 0, timeMs: 0, costUsd: 0, tokens: 0, errors: 0, latencies: [] }))
    a.calls++
    if (ms !== null) {
      a.timeMs += ms
      a.latencies.push(ms)
    }
    a.costUsd += cost ?? 0
    a.tokens += tokens ?? 0
    if (error) a.errors++
  }
  for (const u of units) {
    const agentKey = new Map(u.agents.map((a) => [`${a.runId}\u0000${a.id}`, a.type ?? a.name]))
    // A call that ran a subagent is the subagent's time; counting it for the caller too would double it.
    const delegations = new Set([
      ...u.agents.flatMap((a) => (a.parentSpanId ? [`${a.runId}\u0000${a.parentSpanId}`] : [])),
      ...u.spans.filter((s) => s.kind === 'agent' && s.parentId).map((s) => `${s.runId}\u0000${s.parentId}`),
    ])
    for (const s of u.spans) {
      if (s.kind !== 'llm' && s.kind !== 'tool') continue
      const ms = latencyOf(s)
      const cost = s.kind === 'llm' ? s.costUsd : null
      const tokens = s.kind === 'llm' ? tokensOf(s) : null
      const err = s.status === 'error'
      if (s.kind === 'tool') add('tool', s.name, ms, null, null, err)
      else add('model', s.model ?? '(unknown model)', ms, cost, tokens, err)
      if (s.agentId !== null && !delegations.has(`${s.runId}\u0000${s.id}`)) {
        add('agent', agentKey.get(`${s.runId}\u0000${s.agentId}`) ?? s.agentId, ms, cost, tokens, err)
      }
    }
  }
  return out
}

/**
 * Differential breakdown. Each side's totals are divided by its number of runs, so a group of
 * ten runs compares with a group of five. A row's share is its change over the change of its
 * whole dimension; rows are ordered by dimension, then by share (largest contributors first).
 */
export function breakdown(base: Unit[], cand: Unit[]): RunComparison['breakdown'] {
  const b = accumulate(base)
  const c = accumulate(cand)
  const empty: Acc = { calls: 0, timeMs: 0, costUsd: 0, tokens: 0, errors: 0, latencies: [] }
  const perRun = (a: Acc, n: number) => ({
    calls: a.calls / n, timeMs: a.timeMs / n, costUsd: a.costUsd / n, tokens: a.tokens / n, errors: a.errors / n,
    meanLatencyMs: a.latencies.length ? a.timeMs / a.latencies.length : null,
  })
  const rows = [...new Set([...b.keys(), ...c.keys()])].map((k): BreakdownRow => {
    const [dimension, key] = k.split('\u0000') as [Dimension, string]
    const x = b.get(k) ?? empty
    const y = c.get(k) ?? empty
    const bs = perRun(x, Math.max(1, base.length))
    const cs = perRun(y, Math.max(1, cand.length))
    const mw = x.latencies.length >= 3 && y.latencies.length >= 3 ? mannWhitneyU(x.latencies, y.latencies) : null
    return {
      dimension, key, baseline: bs, candidate: cs,
      deltaTimeMs: cs.timeMs - bs.timeMs, deltaCostUsd: cs.costUsd - bs.costUsd, deltaTokens: cs.tokens - bs.tokens, deltaErrors: cs.errors - bs.errors,
      shareOfTimeChange: null, shareOfCostChange: null, latencyPValue: mw?.pValue ?? null,
    }
  })
  const dims: Dimension[] = ['agent', 'tool', 'model']
  for (const d of dims) {
    const mine = rows.filter((r) => r.dimension === d)
    const dt = mine.reduce((t, r) => t + r.deltaTimeMs, 0)
    const dc = mine.reduce((t, r) => t + r.deltaCostUsd, 0)
    for (const r of mine) {
      r.shareOfTimeChange = dt !== 0 ? r.deltaTimeMs / dt : null
      r.shareOfCostChange = dc !== 0 ? r.deltaCostUsd / dc : null
    }
  }
  const order = (share: (r: BreakdownRow) => number | null, delta: (r: BreakdownRow) => number) => (x: BreakdownRow, y: BreakdownRow) =>
    dims.indexOf(x.dimension) - dims.indexOf(y.dimension) || (share(y) ?? -Infinity) - (share(x) ?? -Infinity) || Math.abs(delta(y)) - Math.abs(delta(x)) || (x.key < y.key ? -1 : 1)
  return {
    byTime: rows.filter((r) => r.deltaTimeMs !== 0 || r.baseline.timeMs > 0 || r.candidate.timeMs > 0).sort(order((r) => r.shareOfTimeChange, (r) => r.deltaTimeMs)),
    byCost: rows.filter((r) => r.dimension !== 'tool').sort(order((r) => r.shareOfCostChange, (r) => r.deltaCostUsd)),
  }
}

export const DEFAULT_WEIGHTS: Record<Criterion, number> = { latency: 0.3, cost: 0.3, tokens: 0.15, errorRate: 0.15, throughput: 0.1 }

/**
 * Weighted score over criteria. A criterion's improvement is the symmetric relative change of the
 * means, (b − c)/max(|b|, |c|) when lower is better (sign flipped when higher is better), so it
 * lies in [−1, 1] and flips sign when the sides are swapped. Only significant changes contribute
 * to the score (noise should not pick a winner); the raw contribution is shown beside it.
 */
export function rank(metrics: (MetricComparison & { criterion: Criterion | null })[], weights: Partial<Record<Criterion, number>> = {}): RunComparison['ranking'] {
  const w = { ...DEFAULT_WEIGHTS, ...weights }
  const criteria = (Object.keys(DEFAULT_WEIGHTS) as Criterion[]).flatMap((criterion) => {
    const m = metrics.find((x) => x.criterion === criterion)
    if (!m) return []
    const b = m.baseline.mean
    const c = m.candidate.mean
    const scale = b === null || c === null ? 0 : Math.max(Math.abs(b), Math.abs(c))
    const improvement = scale > 0 ? (((m.direction === 'lower-is-better' ? 1 : -1) * ((b as number) - (c as number))) / scale) : null
    const significant = m.verdict === 'improved' || m.verdict === 'regressed'
    const raw = w[criterion] * (improvement ?? 0)
    return [{ criterion, metric: m.metric, weight: w[criterion], improvement, significant, contribution: significant ? raw : 0, rawContribution: raw }]
  })
  const totalWeight = criteria.reduce((t, x) => t + x.weight, 0)
  const score = totalWeight > 0 ? criteria.reduce((t, x) => t + x.contribution, 0) / totalWeight : 0
  return { criteria, score, preferred: score > 0 ? 'candidate' : score < 0 ? 'baseline' : 'tie' }
}

/** Which breakdown rows explain a metric: the dimension and the delta that moves it. */
const DRIVERS: Record<string, [BreakdownRow['dimension'], 'byTime' | 'byCost', keyof BreakdownRow]> = {
  llm_latency_ms: ['model', 'byTime', 'deltaTimeMs'],
  throughput_tokens_per_s: ['model', 'byTime', 'deltaTimeMs'],
  tool_latency_ms: ['tool', 'byTime', 'deltaTimeMs'],
  wall_time_ms: ['agent', 'byTime', 'deltaTimeMs'],
  cost_per_run_usd: ['agent', 'byCost', 'deltaCostUsd'],
  cost_per_llm_call_usd: ['model', 'byCost', 'deltaCostUsd'],
  tokens_per_llm_call: ['model', 'byCost', 'deltaTokens'],
  error_rate: ['tool', 'byTime', 'deltaErrors'],
}

const value = (x: number | null, unit: string) =>
  x === null ? 'n/a' : unit === 'ms' ? f.ms(x) : unit === 'USD' ? f.usd(x) : unit === 'fraction' ? f.pct(x, 1) : f.num(x, 3)

export function recommend(metrics: MetricComparison[], br: RunComparison['breakdown'], ranking: RunComparison['ranking'], family: number): Recommendation[] {
  const out: Recommendation[] = []
  for (const m of metrics) {
    const evidence = { changePct: m.changePct, baselineMean: m.baseline.mean, candidateMean: m.candidate.mean, pValue: m.pValue, rawPValue: m.rawPValue, cliffsDelta: m.cliffsDelta, baselineN: m.baseline.n, candidateN: m.candidate.n }
    if (m.verdict === 'insufficient-data') {
      out.push({ metric: m.metric, severity: 'info', message: `${m.label}: not tested, ${m.reason}. Add runs to each side to test it.`, evidence })
      continue
    }
    if (m.verdict === 'no-significant-change') continue
    const change = m.changePct === null ? '' : ` ${f.signedPct(m.changePct)}`
    let message = `${m.label} ${m.verdict}${change} (mean ${value(m.baseline.mean, m.unit)} → ${value(m.candidate.mean, m.unit)}; ${m.test === 'welch' ? "Welch's t" : 'Mann–Whitney'} ${f.p(m.pValue)} after Holm over ${family} metrics, Cliff's δ = ${(m.cliffsDelta ?? 0).toFixed(2)}).`
    const driver = DRIVERS[m.metric]
    const ev: Recommendation['evidence'] = { ...evidence }
    if (driver) {
      const [dim, list, field] = driver
      // The row that moved most in the same direction as the metric's mean.
      const sign = Math.sign((m.candidate.mean ?? 0) - (m.baseline.mean ?? 0)) * (m.metric === 'throughput_tokens_per_s' ? -1 : 1)
      const top = br[list].filter((r) => r.dimension === dim && Math.sign(r[field] as number) === sign).sort((a, b) => Math.abs(b[field] as number) - Math.abs(a[field] as number))[0]
      if (top) {
        const d = top[field] as number
        const what = field === 'deltaCostUsd' ? f.usd(d) : field === 'deltaTimeMs' ? f.ms(d) : f.num(d, 3)
        message += ` Largest mover: ${dim} "${top.key}", ${d > 0 ? '+' : ''}${what} ${field === 'deltaErrors' ? 'errors ' : field === 'deltaTokens' ? 'tokens ' : ''}per run; ` +
          `${m.verdict === 'regressed' ? 'start the investigation there' : 'it carries most of the gain'}.`
        Object.assign(ev, { driverDimension: dim, driverKey: top.key, driverDelta: d })
      }
    }
    const large = Math.abs(m.cliffsDelta ?? 0) >= 0.474
    out.push({ metric: m.metric, severity: m.verdict === 'regressed' ? (large ? 'critical' : 'warning') : 'info', message, evidence: ev })
  }
  const sig = ranking.criteria.filter((c) => c.significant)
  if (sig.length > 0 && ranking.preferred !== 'tie') {
    const best = [...sig].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))[0]
    out.push({
      metric: 'ranking',
      severity: ranking.preferred === 'baseline' ? 'warning' : 'info',
      message: `On the weighted criteria the ${ranking.preferred} is preferred (score ${ranking.score.toFixed(3)}, from ${sig.length} significant criteria); ${best.criterion} weighs most (contribution ${best.contribution.toFixed(3)}).`,
      evidence: { score: ranking.score, significantCriteria: sig.length, topCriterion: best.criterion, topContribution: best.contribution },
    })
  }
  const order = { critical: 0, warning: 1, info: 2 }
  return out.sort((a, b) => order[a.severity] - order[b.severity])
}
