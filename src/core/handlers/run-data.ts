import { metricSeries, spansPage } from '../queries/run-data'
import { cachedAnalysis } from './analysis'
import type { CoreContext, HandlersFor } from './types'

export const runDataHandlers = ({ store }: CoreContext): HandlersFor<'rundata'> => ({
  'rundata.spans': (i) => spansPage(store.read, i.id, i),
  'rundata.metrics': (i) => metricSeries(store.read, i.id, i),
})

export const insightsHandlers = ({ store }: CoreContext): HandlersFor<'insights'> => ({
  'insights.run': async (i) => {
    const { runId, insights } = await cachedAnalysis(store.read, i.id, i.seed)
    return { runId, insights }
  },
})
