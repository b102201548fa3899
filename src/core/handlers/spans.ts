import { runBreakdown } from '../queries/breakdown'
import { runSeries } from '../queries/series'
import { spanDetail, timelineWindow } from '../queries/spans'
import type { CoreContext, HandlersFor } from './types'

/** Read-only views for the UI's timeline and charts; all on the read connection. */
export const spansHandlers = ({ store }: CoreContext): HandlersFor<'spans'> => ({
  'spans.window': (i) => timelineWindow(store.read, i.id, i),
  'spans.get': (i) => spanDetail(store.read, i.id, i.spanId),
  'spans.series': (i) => runSeries(store.read, i.id, i),
  'spans.breakdown': (i) => runBreakdown(store.read, i.id, i),
})
