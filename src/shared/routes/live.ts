import { z } from 'zod'
import { HookDelivery, LiveHealth } from '../live-dto'

export const liveRoutes = {
  /** Each live source's state, rates, queue depth, drops and last error. */
  'live.health': { input: z.object({}), output: LiveHealth, http: ['GET', '/live/health'] },
  /** Claude Code hook payloads (from `swarmscope hook`); answers once they are committed. */
  'live.hooks': {
    input: z.object({ deliveries: z.array(HookDelivery).min(1).max(10_000) }),
    output: z.object({ accepted: z.number(), rejected: z.number() }),
    http: ['POST', '/live/hooks'],
  },
} as const
