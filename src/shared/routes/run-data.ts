import { z } from 'zod'
import { Insight } from '../analysis-dto'
import { SpanKind } from '../dto'
import { MetricSeries, SpansPage } from '../integrations-dto'

const id = z.string().min(1).describe("a run id, or 'latest'")

export const runDataRoutes = {
  /** A run's spans one page at a time, filtered and sorted in the store (spans.window is the timeline's bucketed view). */
  'rundata.spans': {
    input: z.object({
      id,
      offset: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(5000).default(500),
      kind: SpanKind.optional(),
      agentId: z.string().min(1).optional(),
      status: z.enum(['ok', 'error', 'unset']).optional(),
      sort: z.enum(['start', 'duration', 'cost']).default('start'),
    }),
    output: SpansPage,
    http: ['GET', '/runs/:id/spans-paged'],
  },
  /** A run's metric samples in a time range, downsampled to at most maxPoints buckets per series. */
  'rundata.metrics': {
    input: z.object({
      id,
      from: z.coerce.number().optional().describe('epoch ms, inclusive'),
      to: z.coerce.number().optional().describe('epoch ms, inclusive'),
      maxPoints: z.coerce.number().int().min(1).max(10_000).default(200),
      name: z.string().min(1).optional(),
    }),
    output: MetricSeries,
    http: ['GET', '/runs/:id/metrics'],
  },
  /** The ranked, computed findings of one run (the same as analysis.run's insights). */
  'insights.run': {
    input: z.object({ id, seed: z.coerce.number().int().optional() }),
    output: z.object({ runId: z.string(), insights: z.array(Insight) }),
    http: ['GET', '/runs/:id/insights'],
  },
} as const
