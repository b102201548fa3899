import { z } from 'zod'
import { RunAnalysis, RunComparison } from '../analysis-dto'
import { RunRef } from './runs'

/** A run id, `latest`, or `group:NAME` for every run of a group. */
const Ref = z.string().min(1)
const Criterion = z.enum(['latency', 'cost', 'tokens', 'errorRate', 'throughput'])

export const CompareRequest = z.object({
  baseline: Ref,
  candidates: z.array(Ref).min(1).max(8),
  /** 'auto': span by span when each side is one run, run by run for groups. */
  mode: z.enum(['auto', 'spans', 'runs']).optional(),
  alpha: z.number().gt(0).lt(1).optional(),
  minSamples: z.number().int().min(2).optional(),
  /** Smallest |Cliff's delta| that counts as a change (0.147 = "small"). */
  minEffect: z.number().min(0).max(1).optional(),
  test: z.enum(['mann-whitney', 'welch']).optional(),
  weights: z.partialRecord(Criterion, z.number().min(0)).optional(),
})
export type CompareRequest = z.infer<typeof CompareRequest>

export const analysisRoutes = {
  'analysis.run': {
    input: RunRef.extend({ seed: z.coerce.number().int().optional() }),
    output: RunAnalysis,
    http: ['GET', '/runs/:id/analysis'],
  },
  'compare.runs': {
    input: CompareRequest,
    output: z.object({ comparisons: z.array(RunComparison.extend({ candidateRef: z.string(), baselineRef: z.string() })) }),
    http: ['POST', '/compare'],
  },
} as const
