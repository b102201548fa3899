import { z } from 'zod'
import { ContentPolicy, ImportResult, RedactionRuleSpec } from '../dto'
import { TagMap } from './runs'

export const importRoutes = {
  'import.paths': {
    input: z.object({
      paths: z.array(z.string().min(1)).min(1),
      group: z.string().optional(),
      tags: TagMap.optional(),
      importId: z.string().optional(),
      /** What text to keep: 'none' (default: sizes and metadata only), 'redacted' or 'full'. */
      content: ContentPolicy.optional(),
      /** Redaction rules applied after the built-in ones (and after those in redaction-rules.json beside the database). */
      redactRules: z.array(RedactionRuleSpec).optional(),
    }),
    output: ImportResult,
    http: ['POST', '/imports'],
  },
  'import.cancel': { input: z.object({ importId: z.string() }), output: z.object({ cancelled: z.boolean() }), http: ['POST', '/imports/:importId/cancel'] },
} as const
