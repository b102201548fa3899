import type { AnonymizeRequest } from '../../shared/anonymize'
import type { ExportFormat } from '../../shared/integrations-dto'
import { exportRuns } from '../export'
import { withAnonymizedView } from '../privacy/anonymized-view'
import type { Store } from '../store/open'
import { expandRef } from './analysis'
import type { CoreContext, HandlersFor } from './types'

/** The runs as one file; anonymized, the same writers read an anonymized copy of them. */
function exportOf(store: Store, ids: string[], i: { format: ExportFormat; csvTable: 'spans' | 'runs'; anonymize?: AnonymizeRequest }) {
  const a = i.anonymize
  if (!a) return exportRuns(store.read, ids, i.format, i.csvTable)
  return withAnonymizedView(store, ids, a, {}, (view) => {
    const out = exportRuns(view.store.read, ids.map(view.ref), i.format, i.csvTable)
    return a.mapping ? { ...out, mapping: view.pseudonymizer.mapping() } : out
  })
}

export const exportHandlers = ({ store }: CoreContext): HandlersFor<'export'> => ({
  'export.runs': (i) => {
    // Refs may name groups; a run named twice is written once.
    const ids = [...new Set(i.runs.flatMap((ref) => expandRef(store.read, ref).flat()))]
    return exportOf(store, ids, i)
  },
  'export.run': (i) => exportOf(store, expandRef(store.read, i.id).flat(), i),
})
