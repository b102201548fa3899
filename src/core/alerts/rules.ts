import type { Database } from 'better-sqlite3'
import type { AlertRule } from '../../shared/config'
import { analyzeRun, compareRuns } from '../analysis'
import { getRun } from '../queries/runs'

/** What a rule found, before it is recorded and delivered. */
export interface Finding {
  ruleId: string
  kind: AlertRule['kind']
  runId: string | null
  severity: 'warning' | 'critical'
  title: string
  message: string
  value: number | null
  threshold: number | null
}

const SEVERITY_RANK = { low: 0, medium: 1, high: 2 } as const
const money = (x: number) => `$${x.toFixed(x < 1 ? 4 : 2)}`

/** The run started before this one: in the same group when the run has one. */
function previousRun(db: Database, runId: string): string | null {
  const row = db
    .prepare(
      `SELECT p.id FROM runs r JOIN runs p ON p.id <> r.id AND COALESCE(p.started_at, p.created_at) < COALESCE(r.started_at, r.created_at)
         AND (r.group_name IS NULL OR p.group_name = r.group_name)
       WHERE r.id = ? ORDER BY COALESCE(p.started_at, p.created_at) DESC LIMIT 1`,
    )
    .get(runId) as { id: string } | undefined
  return row?.id ?? null
}

function baselineUnits(db: Database, ref: string | undefined, runId: string): string[][] | null {
  if (ref?.startsWith('group:')) {
    const ids = (db.prepare('SELECT id FROM runs WHERE group_name = ? AND id <> ?').all(ref.slice(6), runId) as { id: string }[]).map((r) => [r.id])
    return ids.length ? ids : null
  }
  const id = ref ?? previousRun(db, runId)
  return id && id !== runId ? [[getRun(db, id).id]] : null
}

/**
 * Checks the run-level rules against one stored run. Thresholds read the run's summary;
 * 'anomalies' and 'p95-latency-regression' use the analysis engine, so an alert says the same
 * as the run page and `swarmscope compare`.
 */
export function evaluateRunRules(db: Database, runId: string, rules: readonly AlertRule[]): Finding[] {
  const run = getRun(db, runId)
  const out: Finding[] = []
  const base = { runId: run.id, value: null as number | null, threshold: null as number | null }
  for (const rule of rules) {
    if (!rule.enabled) continue
    const at = { ...base, ruleId: rule.id, kind: rule.kind }
    if (rule.kind === 'cost-per-run' && run.costUsd > rule.threshold) {
      out.push({ ...at, severity: run.costUsd >= 2 * rule.threshold ? 'critical' : 'warning', value: run.costUsd, threshold: rule.threshold,
        title: `Run "${run.name}" cost ${money(run.costUsd)}`, message: `Cost ${money(run.costUsd)} is above the limit of ${money(rule.threshold)} (run ${run.id}).` })
    } else if (rule.kind === 'error-rate') {
      const calls = run.llmCalls + run.toolCalls
      const rate = calls > 0 ? run.errors / calls : 0
      if (calls >= rule.minCalls && rate > rule.threshold) {
        out.push({ ...at, severity: rate >= 2 * rule.threshold ? 'critical' : 'warning', value: rate, threshold: rule.threshold,
          title: `Run "${run.name}" error rate ${(100 * rate).toFixed(1)}%`, message: `${run.errors} errors in ${calls} LLM and tool calls, above the limit of ${(100 * rule.threshold).toFixed(1)}% (run ${run.id}).` })
      }
    } else if (rule.kind === 'anomalies') {
      const found = analyzeRun(db, run.id).anomalies.filter((a) => SEVERITY_RANK[a.severity] >= SEVERITY_RANK[rule.minSeverity])
      if (found.length >= rule.minCount) {
        const worst = found[0]
        out.push({ ...at, severity: found.some((a) => a.severity === 'high') ? 'critical' : 'warning', value: found.length, threshold: rule.minCount,
          title: `Run "${run.name}": ${found.length} latency anomal${found.length === 1 ? 'y' : 'ies'}`,
          message: `${found.length} calls are unusually slow (${rule.minSeverity} or worse); the worst, ${worst.name} (${worst.spanId}), took ${Math.round(worst.latencyMs)} ms against a median of ${Math.round(worst.groupMedianMs)} ms (score ${worst.score.toFixed(1)}).` })
      }
    } else if (rule.kind === 'p95-latency-regression') {
      const baseline = baselineUnits(db, rule.baseline, run.id)
      if (!baseline) continue
      const metric = compareRuns(db, baseline, [[run.id]], { alpha: rule.alpha }).metrics.find((m) => m.metric === 'llm_latency_ms')
      const b = metric?.baseline.p95
      const c = metric?.candidate.p95
      if (!metric || b == null || c == null || b <= 0) continue
      const change = (100 * (c - b)) / b
      if (change >= rule.thresholdPct && metric.verdict === 'regressed') {
        out.push({ ...at, severity: change >= 2 * rule.thresholdPct ? 'critical' : 'warning', value: change, threshold: rule.thresholdPct,
          title: `Run "${run.name}": p95 LLM latency +${change.toFixed(0)}%`,
          message: `p95 LLM latency ${Math.round(c)} ms against ${Math.round(b)} ms for the baseline (${rule.baseline ?? 'previous run'}); ${metric.test} p = ${metric.pValue?.toPrecision(2) ?? '—'}.` })
      }
    }
  }
  return out
}

/** The collector-drops rules against the live collector's count of dropped records. */
export function evaluateCollectorDrops(dropped: number, rules: readonly AlertRule[]): Finding[] {
  return rules.flatMap((rule) =>
    rule.enabled && rule.kind === 'collector-drops' && dropped > rule.threshold
      ? [{ ruleId: rule.id, kind: rule.kind, runId: null, severity: 'warning' as const, value: dropped, threshold: rule.threshold,
          title: `Live collector dropped ${dropped} records`, message: `The collector dropped ${dropped} records (limit ${rule.threshold}); the ingest queue is full or input is invalid.` }]
      : [],
  )
}
