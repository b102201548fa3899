import { z } from 'zod'
import { Breakdown, LocatedSpan, SeriesMetric, Series, SpanDetail, TimelineWindow } from '../spans-dto'
import { RunRef } from './runs'

// Read-only views of one run's spans for the UI: the timeline's visible window, one span,
// per-pixel series and the dashboard's aggregates. Widths are in CSS pixels of the chart.

const Width = z.coerce.number().int().min(10).max(8000)
const Ms = z.coerce.number().optional()

export const spansRoutes = {
  'spans.window': {
    input: RunRef.extend({
      fromMs: Ms,
      toMs: Ms,
      width: Width,
      /** 0: agents only, 1: + LLM calls, 2: + tool calls and the rest (default). */
      depth: z.coerce.number().int().min(0).max(2).optional(),
      /** Spans narrower than this many pixels are merged into buckets (default 2). */
      minPx: z.coerce.number().min(0.5).max(50).optional(),
      /** Most spans returned one by one (default 20 000); the rest are bucketed. */
      cap: z.coerce.number().int().min(100).max(200_000).optional(),
    }),
    output: TimelineWindow,
    http: ['GET', '/runs/:id/spans'],
  },
  'spans.get': { input: RunRef.extend({ spanId: z.string().min(1) }), output: SpanDetail, http: ['GET', '/runs/:id/spans/:spanId'] },
  /** Many spans by id in one request (unknown ids are left out); POST, as ids may hold any character. */
  'spans.locate': {
    input: RunRef.extend({ spanIds: z.array(z.string().min(1)).max(1000) }),
    output: z.array(LocatedSpan),
    http: ['POST', '/runs/:id/spans/locate'],
  },
  'spans.series': {
    input: RunRef.extend({ metric: SeriesMetric, fromMs: Ms, toMs: Ms, width: Width }),
    output: Series,
    http: ['GET', '/runs/:id/series'],
  },
  'spans.breakdown': {
    input: RunRef.extend({
      /** Time buckets of the activity heatmap (default 48). */
      buckets: z.coerce.number().int().min(2).max(500).optional(),
      /** LLM calls drawn one by one in the scatter before merging per cell (default 5 000). */
      maxPoints: z.coerce.number().int().min(100).max(100_000).optional(),
    }),
    output: Breakdown,
    http: ['GET', '/runs/:id/breakdown'],
  },
} as const
