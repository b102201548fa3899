import { z } from 'zod'
import { AnonymizeRequest, PseudonymMapping } from '../anonymize'
import { RenderedFile } from './reports'
import { RunSummary } from '../dto'

/** The file extension of a Swarmscope bundle: a SQLite file holding selected runs and a manifest. */
export const BUNDLE_EXTENSION = '.swarmscope'

/** What a bundle says about itself; validated (version, checksum) before anything is imported. */
export const BundleManifest = z.object({
  formatVersion: z.number().int(),
  createdAt: z.string(),
  appVersion: z.string(),
  /** The store's schema version (number of migrations) of the app that wrote it. */
  schemaVersion: z.number().int(),
  runIds: z.array(z.string()),
  /** Whether stored prompt/response text travels with the runs (off unless asked for). */
  includesContent: z.boolean(),
  /** sha256 over the run rows, so a damaged or edited bundle is refused. */
  checksum: z.string(),
})
export type BundleManifest = z.infer<typeof BundleManifest>

const BundlePath = z.string().min(1)

export const bundleRoutes = {
  'bundle.export': {
    input: z.object({
      /** Run ids, or `latest`. */
      runIds: z.array(z.string().min(1)).min(1),
      /** Where to write; must end in .swarmscope. Without it, the bundle comes back in `file` (to download). */
      out: BundlePath.optional(),
      /** Include the runs' stored text (only runs imported with content 'redacted' or 'full' have any). */
      includeContent: z.boolean().optional(),
      /** Replace an existing file (the native save dialog has already asked). */
      overwrite: z.boolean().optional(),
      /** A new bundle whose rows carry pseudonyms (ids consistent across tables, so it imports and analyses the same). */
      anonymize: AnonymizeRequest.optional(),
    }),
    output: z.object({
      /** The file written; null when the bundle was returned in `file`. */
      path: z.string().nullable(),
      bytes: z.number().int(),
      manifest: BundleManifest,
      /** The bundle itself (base64) when no `out` was given. */
      file: RenderedFile.optional(),
      mapping: PseudonymMapping.optional(),
    }),
    http: ['POST', '/bundles/export'],
  },
  'bundle.import': {
    input: z.object({ path: BundlePath }),
    /** runs: the runs added; existing: ids already in this store, left as they were. */
    output: z.object({ runs: z.array(RunSummary), existing: z.array(z.string()), manifest: BundleManifest }),
    http: ['POST', '/bundles/import'],
  },
  /** Validates a bundle and returns its manifest without importing anything. */
  'bundle.inspect': { input: z.object({ path: BundlePath }), output: BundleManifest, http: ['POST', '/bundles/inspect'] },
} as const
