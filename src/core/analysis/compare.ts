import type { Database } from 'better-sqlite3'
import type { Direction, MetricComparison, RunComparison, SampleComparison, Verdict } from '../../shared/analysis-dto'
import { CoreError } from '../../shared/result'
import { resolveRunId } from '../queries/runs'
import { breakdown, rank, recommend } from './compare-explain'
import { type Criterion, METRICS, samplesOf, type Unit } from './compare-metrics'
import * as f from './format'
import { loadAgents, loadSpans } from './span-data'
import { bootstrapMeanDifference, cliffsDelta, cohensD, holmAdjust, mannWhitneyU, mean, median, quantile, std, welchTTest, type Sample } from './stats'

export interface CompareOptions {
  direction?: Direction
  /** Significance level for the verdict (default 0.05). */
  alpha?: number
  /** Fewer values than this on either side → insufficient data (default 5). */
  minSamples?: number
  /** |Cliff's δ| a change must also reach to count (default 0.147, the "negligible" bound). */
  minEffect?: number
  /** The test the verdict rests on. Mann–Whitney (default) suits skewed latencies and costs. */
  test?: 'mann-whitney' | 'welch'
  level?: number
  seed?: number
  resamples?: number
}

export const COMPARE_DEFAULTS = { alpha: 0.05, minSamples: 5, minEffect: 0.147, test: 'mann-whitney' as const }

const side = (xs: Sample) => ({ n: xs.length, mean: mean(xs), median: median(xs), std: std(xs), p95: quantile(xs, 0.95) })

const relChange = (b: number | null, c: number | null) => (b === null || c === null || b === 0 ? null : ((c - b) / Math.abs(b)) * 100)

/**
 * The verdict rule, in order: either side below minSamples → insufficient data; the primary
 * test's p (Holm-adjusted when the caller passes one) ≥ α → no significant change; |Cliff's δ|
 * below minEffect → no significant change (significant but negligible, as big samples make any
 * difference significant); otherwise the sign of the shift and the metric's direction decide
 * improved or regressed (if Welch's means and δ's ranks disagree on the sign, no change is
 * claimed). The rule is symmetric, so swapping the samples swaps improved and regressed.
 */
export function decideVerdict(c: Pick<SampleComparison, 'baseline' | 'candidate' | 'cliffsDelta' | 'test' | 'direction'> & { pValue: number | null; shift: number }, opts: CompareOptions = {}): { verdict: Verdict; reason: string } {
  const alpha = opts.alpha ?? COMPARE_DEFAULTS.alpha
  const minSamples = opts.minSamples ?? COMPARE_DEFAULTS.minSamples
  const minEffect = opts.minEffect ?? COMPARE_DEFAULTS.minEffect
  const testName = c.test === 'welch' ? "Welch's t" : 'Mann–Whitney'
  if (c.baseline.n < minSamples || c.candidate.n < minSamples) {
    return { verdict: 'insufficient-data', reason: `${c.baseline.n} baseline and ${c.candidate.n} candidate values; at least ${minSamples} per side are needed` }
  }
  if (c.pValue === null) return { verdict: 'no-significant-change', reason: `${testName} could not be computed` }
  if (c.pValue >= alpha) return { verdict: 'no-significant-change', reason: `${testName} ${f.p(c.pValue)} ≥ α = ${alpha}` }
  const delta = c.cliffsDelta ?? 0
  if (Math.abs(delta) < minEffect) {
    return { verdict: 'no-significant-change', reason: `${testName} ${f.p(c.pValue)} < ${alpha} but |Cliff's δ| = ${Math.abs(delta).toFixed(3)} < ${minEffect} (negligible effect)` }
  }
  // Welch compares means, δ compares ranks: when they point opposite ways there is no direction to report.
  if (Math.sign(c.shift) !== Math.sign(delta)) {
    return { verdict: 'no-significant-change', reason: `${testName} ${f.p(c.pValue)} < ${alpha} but the means and Cliff's δ = ${delta.toFixed(3)} disagree on the direction` }
  }
  const higher = c.shift > 0
  const better = c.direction === 'higher-is-better' ? higher : !higher
  return {
    verdict: better ? 'improved' : 'regressed',
    reason: `${testName} ${f.p(c.pValue)} < ${alpha}, Cliff's δ = ${delta.toFixed(3)}: the candidate is ${higher ? 'higher' : 'lower'} and ${c.direction === 'higher-is-better' ? 'higher' : 'lower'} is better`,
  }
}

/**
 * Compares two independent samples: change of the mean and median, Welch's t-test,
 * Mann–Whitney U, Cohen's d, Cliff's δ, a seeded bootstrap interval of the difference of means,
 * and a verdict (see decideVerdict). Differences are candidate − baseline throughout.
 */
export function compareSamples(baseline: Sample, candidate: Sample, opts: CompareOptions & { adjustedP?: number | null } = {}): SampleComparison {
  const test = opts.test ?? COMPARE_DEFAULTS.test
  const direction = opts.direction ?? 'lower-is-better'
  const b = side(baseline)
  const c = side(candidate)
  const welch = welchTTest(baseline, candidate)
  const mw = mannWhitneyU(baseline, candidate)
  const delta = cliffsDelta(baseline, candidate)
  const rawP = test === 'welch' ? (welch?.pValue ?? null) : (mw?.pValue ?? null)
  const pValue = opts.adjustedP !== undefined ? opts.adjustedP : rawP
  // The direction of the shift as the primary test sees it: location by ranks, or by means.
  const shift = test === 'welch' ? (welch?.meanDifference ?? 0) : (mw ? mw.u - (baseline.length * candidate.length) / 2 : 0)
  const base = {
    direction,
    baseline: b,
    candidate: c,
    changePct: relChange(b.mean, c.mean),
    medianChangePct: relChange(b.median, c.median),
    welchT: welch?.t ?? null,
    welchDf: welch?.df ?? null,
    welchP: welch?.pValue ?? null,
    mannWhitneyU: mw?.u ?? null,
    mannWhitneyP: mw?.pValue ?? null,
    pValue,
    test,
    cohensD: cohensD(baseline, candidate),
    cliffsDelta: delta,
    differenceCi: bootstrapMeanDifference(baseline, candidate, { level: opts.level, seed: opts.seed, resamples: opts.resamples }),
  }
  return { ...base, ...decideVerdict({ ...base, shift }, opts) }
}

export interface CompareRunsOptions extends Omit<CompareOptions, 'direction'> {
  /** 'auto' (default): span by span when each side is one run, else run by run. */
  mode?: 'auto' | 'spans' | 'runs'
  weights?: Partial<Record<Criterion, number>>
}

function loadSide(db: Database, refs: string[][], label: string): Unit[] {
  const units = refs.filter((u) => u.length > 0)
  if (units.length === 0) throw new CoreError('bad_request', `the ${label} side names no runs`)
  return units.map((u) => {
    const runIds = [...new Set(u.map((ref) => resolveRunId(db, ref)))]
    return { runIds, spans: loadSpans(db, runIds), agents: loadAgents(db, runIds) }
  })
}

/**
 * Compares a baseline with a candidate. Each side is a list of runs, each run given as the ids
 * of one or more stored runs read together (one session split over several files or imports).
 * With one run per side the samples are its spans; with several, each run gives one value.
 * The metrics' p-values form one family and are Holm-adjusted before the verdicts, so testing
 * eight metrics does not multiply the false alarms by eight. Metrics with too little data on
 * either side are left out of the family (they get no verdict to protect).
 */
export function compareRuns(db: Database, baselineRefs: string[][], candidateRefs: string[][], opts: CompareRunsOptions = {}): RunComparison {
  const base = loadSide(db, baselineRefs, 'baseline')
  const cand = loadSide(db, candidateRefs, 'candidate')
  const mode = opts.mode === 'spans' || opts.mode === 'runs' ? opts.mode : base.length === 1 && cand.length === 1 ? 'spans' : 'runs'
  const minSamples = opts.minSamples ?? COMPARE_DEFAULTS.minSamples
  const test = opts.test ?? COMPARE_DEFAULTS.test
  // Raw p-values first (cheap), then Holm, then the full comparison once with the adjusted p.
  const raw = METRICS.flatMap((def) => {
    const b = samplesOf(def, base, mode)
    const c = samplesOf(def, cand, mode)
    if (b === null || c === null) return []
    const p = test === 'welch' ? (welchTTest(b, c)?.pValue ?? null) : (mannWhitneyU(b, c)?.pValue ?? null)
    return [{ def, b, c, p, inFamily: b.length >= minSamples && c.length >= minSamples && p !== null }]
  })
  const adjusted = holmAdjust(raw.map((r) => (r.inFamily ? r.p : null)))
  const metrics = raw.map(({ def, b, c, p, inFamily }, i): MetricComparison & { criterion: Criterion | null } => {
    const cmp = compareSamples(b, c, { ...opts, direction: def.direction, ...(inFamily ? { adjustedP: adjusted[i] } : {}) })
    return { metric: def.metric, label: def.label, unit: def.unit, criterion: def.criterion, rawPValue: p, ...cmp }
  })
  const ranking = rank(metrics, opts.weights)
  const br = breakdown(base, cand)
  const family = raw.filter((r) => r.inFamily).length
  const side = (units: Unit[]) => ({ units: units.map((u) => u.runIds), runs: units.reduce((t, u) => t + u.runIds.length, 0) })
  return {
    mode,
    baseline: side(base),
    candidate: side(cand),
    settings: { alpha: opts.alpha ?? COMPARE_DEFAULTS.alpha, minSamples, minEffect: opts.minEffect ?? COMPARE_DEFAULTS.minEffect, test: opts.test ?? COMPARE_DEFAULTS.test },
    metrics: metrics.map(({ criterion: _criterion, ...m }) => m),
    ranking,
    breakdown: br,
    recommendations: recommend(metrics, br, ranking, family),
  }
}
