import type { Database } from 'better-sqlite3'
import { CoreError } from '../../shared/result'
import { analyzeRunAsync, compareRuns } from '../analysis'
import type { RunAnalysis } from '../../shared/analysis-dto'
import { memoByRunAsync } from '../queries/run-memo'
import { resolveRunId } from '../queries/runs'
import type { CoreContext, HandlersFor } from './types'

/**
 * One side of a comparison: a run (`<id>` or `latest`) is one unit read span by span; a group
 * (`group:NAME`) is each of its runs as a unit, compared run by run.
 */
export function expandRef(db: Database, ref: string): string[][] {
  if (!ref.startsWith('group:')) return [[resolveRunId(db, ref)]]
  const name = ref.slice('group:'.length)
  const ids = (db.prepare('SELECT id FROM runs WHERE group_name = ? ORDER BY started_at').all(name) as { id: string }[]).map((r) => r.id)
  if (ids.length === 0) throw new CoreError('not_found', `no runs in group ${name}`)
  return ids.map((id) => [id])
}

/**
 * A run's analysis for the UI and the API: computed once per version of the run (see run-memo),
 * yielding between its steps so other requests are answered meanwhile.
 */
export function cachedAnalysis(db: Database, ref: string, seed?: number): Promise<RunAnalysis> {
  const id = resolveRunId(db, ref)
  return memoByRunAsync(db, id, `analysis:${seed ?? 'default'}`, () => analyzeRunAsync(db, id, { seed }))
}

export const analysisHandlers = ({ store }: CoreContext): HandlersFor<'analysis'> => ({
  'analysis.run': (i) => cachedAnalysis(store.read, i.id, i.seed),
})

export const compareHandlers = ({ store }: CoreContext): HandlersFor<'compare'> => ({
  'compare.runs': (i) => {
    const baseline = expandRef(store.read, i.baseline)
    const comparisons = i.candidates.map((ref) => ({
      baselineRef: i.baseline,
      candidateRef: ref,
      ...compareRuns(store.read, baseline, expandRef(store.read, ref), {
        mode: i.mode, alpha: i.alpha, minSamples: i.minSamples, minEffect: i.minEffect, test: i.test, weights: i.weights,
      }),
    }))
    return { comparisons }
  },
})
