import { analyzeRun } from '../analysis'
import { metricSeries, spansPage } from '../queries/run-data'
import { resolveRunId } from '../queries/runs'
import type { CoreContext, HandlersFor } from './types'

export const runDataHandlers = ({ store }: CoreContext): HandlersFor<'rundata'> => ({
  'rundata.spans': (i) => spansPage(store.read, i.id, i),
  'rundata.metrics': (i) => metricSeries(store.read, i.id, i),
})

export const insightsHandlers = ({ store }: CoreContext): HandlersFor<'insights'> => ({
  'insights.run': (i) => {
    const runId = resolveRunId(store.read, i.id)
    return { runId, insights: analyzeRun(store.read, runId, { seed: i.seed }).insights }
  },
})
