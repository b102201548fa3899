import { z } from 'zod'
import { AnonymizeRequest } from '../anonymize'
import { ExportFormat, ExportResult } from '../integrations-dto'

const options = {
  format: ExportFormat.default('ndjson'),
  /** CSV only: one row per span (default) or one per run. */
  csvTable: z.enum(['spans', 'runs']).default('spans'),
  /** Pseudonyms for names and ids, free text redacted; numbers unchanged. */
  anonymize: AnonymizeRequest.optional(),
}

export const exportRoutes = {
  /** Runs as Swarmscope NDJSON (re-imports into identical numbers), OTLP/JSON traces, or CSV. */
  'export.runs': {
    input: z.object({ runs: z.array(z.string().min(1).describe("a run id, 'latest' or 'group:NAME'")).min(1), ...options }),
    output: ExportResult,
    http: ['POST', '/exports'],
  },
  'export.run': { input: z.object({ id: z.string().min(1), ...options }), output: ExportResult, http: ['GET', '/runs/:id/export'] },
} as const
