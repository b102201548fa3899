import { z } from 'zod'
import { PriceOverride } from '../config'
import { PriceTableView, RecomputeResult } from '../integrations-dto'

const PricingChange = z.object({ table: PriceTableView, recomputed: RecomputeResult })

export const pricingRoutes = {
  /** The prices in force: the dated built-in table with the user's overrides marked. */
  'pricing.get': { input: z.object({}), output: PriceTableView, http: ['GET', '/pricing'] },
  /** Adds or replaces an override and reprices the stored runs it affects. */
  'pricing.set': { input: PriceOverride, output: PricingChange, http: ['POST', '/pricing/overrides'] },
  'pricing.unset': { input: z.object({ match: z.string().min(1) }), output: PricingChange, http: ['DELETE', '/pricing/overrides/:match'] },
  /** Reprices stored LLM calls with the prices in force (costs a source stated exactly are kept). */
  'pricing.recompute': { input: z.object({ runs: z.array(z.string().min(1)).optional() }), output: RecomputeResult, http: ['POST', '/pricing/recompute'] },
} as const
