import { z } from 'zod'
import { RunContent, RunOverview, RunSummary, RunTotals } from '../dto'

export const RunRef = z.object({ id: z.string().min(1).describe("a run id, or 'latest'") })
export const TagMap = z.record(z.string(), z.string())

export const runsRoutes = {
  'runs.list': {
    input: z.object({ group: z.string().optional(), limit: z.coerce.number().int().positive().max(100_000).optional() }),
    output: z.array(RunSummary),
    http: ['GET', '/runs'],
  },
  /**
   * Sums over the stored runs (or one group's) without listing them: what a Prometheus scrape
   * or a status line needs, at the cost of one aggregate query however many runs are stored.
   */
  'runs.totals': {
    input: z.object({ group: z.string().optional() }),
    output: RunTotals,
    // Not under /runs/: a run may be called "totals" (NDJSON runs name their own ids).
    http: ['GET', '/totals'],
  },
  'runs.get': { input: RunRef, output: RunSummary, http: ['GET', '/runs/:id'] },
  /**
   * The stored runs among `ids`, in the order asked; ids not stored (deleted since) are left out.
   * What a view of the library asks for on `runs.changed`: the runs a tail's import touched,
   * not the whole list again.
   */
  'runs.byIds': {
    input: z.object({ ids: z.array(z.string().min(1)).min(1).max(1_000) }),
    output: z.array(RunSummary),
    http: ['POST', '/runs/by-ids'],
  },
  'runs.overview': {
    input: RunRef.extend({ maxPoints: z.coerce.number().int().min(10).max(10_000).optional() }),
    output: RunOverview,
    http: ['GET', '/runs/:id/overview'],
  },
  'runs.rename': { input: RunRef.extend({ name: z.string().min(1).max(200) }), output: RunSummary, http: ['POST', '/runs/:id/rename'] },
  'runs.tag': {
    input: RunRef.extend({ tags: TagMap.optional(), group: z.string().nullable().optional() }),
    output: RunSummary,
    http: ['POST', '/runs/:id/tags'],
  },
  'runs.delete': { input: RunRef, output: z.object({ deleted: z.boolean() }), http: ['DELETE', '/runs/:id'] },
  /** Text stored for a run (or one span) under the redacted/full content policies; no items under 'none'. */
  'runs.content': { input: RunRef.extend({ spanId: z.string().min(1).optional() }), output: RunContent, http: ['GET', '/runs/:id/content'] },
} as const
