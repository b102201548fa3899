import { z } from 'zod'

// One request field, the same on every route whose output can leave the machine (reports,
// exports, bundles): `anonymize: {}` replaces project, agent, run, session, host, group and tag
// names with pseudonyms (e.g. `agent-3f9a`) and passes free text through the redactor. Numbers
// and timestamps are never changed.

export const AnonymizeRequest = z
  .object({
    /** Two exports with the same salt give the same pseudonyms (so they can be joined); without one, each export draws a random salt. */
    salt: z.string().min(1).max(200).optional(),
    /** Keep group names as they are (e.g. `baseline`); pseudonymized by default. */
    keepGroups: z.boolean().optional(),
    /** Keep tag values as they are; pseudonymized by default. Tag keys are always kept. */
    keepTags: z.boolean().optional(),
    /** Also answer with the value → pseudonym table, for the user's own records (never written into the export). */
    mapping: z.boolean().optional(),
  })
  .strict()
export type AnonymizeRequest = z.infer<typeof AnonymizeRequest>

/** value → pseudonym, given only when `anonymize.mapping` asked for it. */
export const PseudonymMapping = z.array(z.object({ kind: z.string(), value: z.string(), pseudonym: z.string() }))
export type PseudonymMapping = z.infer<typeof PseudonymMapping>
