import { runBreakdown } from '../queries/breakdown'
import { resolveRunId } from '../queries/runs'
import { memoByRun } from '../queries/run-memo'
import { runSeries } from '../queries/series'
import { locateSpans, spanDetail, timelineWindow } from '../queries/spans'
import type { CoreContext, HandlersFor } from './types'

/**
 * Read-only views for the UI's timeline and charts; all on the read connection. The dashboard's
 * whole-run views are kept per version of the run (see run-memo): opening a run again is instant.
 */
export const spansHandlers = ({ store }: CoreContext): HandlersFor<'spans'> => ({
  'spans.window': (i) => timelineWindow(store.read, i.id, i),
  'spans.get': (i) => spanDetail(store.read, i.id, i.spanId),
  'spans.locate': (i) => locateSpans(store.read, i.id, i.spanIds),
  'spans.series': (i) =>
    i.fromMs === undefined && i.toMs === undefined
      ? memoByRun(store.read, resolveRunId(store.read, i.id), `series:${i.metric}:${i.width}`, () => runSeries(store.read, i.id, i))
      : runSeries(store.read, i.id, i),
  'spans.breakdown': (i) => memoByRun(store.read, resolveRunId(store.read, i.id), `breakdown:${i.buckets}:${i.maxPoints}`, () => runBreakdown(store.read, i.id, i)),
})
