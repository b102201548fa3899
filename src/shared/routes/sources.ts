import { z } from 'zod'
import { Sources } from '../integrations-dto'

export const sourceRoutes = {
  /** The formats Swarmscope reads, and the usual places their files are on this machine. */
  'sources.list': { input: z.object({}), output: Sources, http: ['GET', '/sources'] },
} as const
