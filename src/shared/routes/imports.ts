import { z } from 'zod'
import { ImportResult } from '../dto'
import { TagMap } from './runs'

export const importRoutes = {
  'import.paths': {
    input: z.object({
      paths: z.array(z.string().min(1)).min(1),
      group: z.string().optional(),
      tags: TagMap.optional(),
      importId: z.string().optional(),
    }),
    output: ImportResult,
    http: ['POST', '/imports'],
  },
  'import.cancel': { input: z.object({ importId: z.string() }), output: z.object({ cancelled: z.boolean() }), http: ['POST', '/imports/:importId/cancel'] },
} as const
