import { exportRuns } from '../export'
import { expandRef } from './analysis'
import type { CoreContext, HandlersFor } from './types'

export const exportHandlers = ({ store }: CoreContext): HandlersFor<'export'> => ({
  'export.runs': (i) => {
    // Refs may name groups; a run named twice is written once.
    const ids = [...new Set(i.runs.flatMap((ref) => expandRef(store.read, ref).flat()))]
    return exportRuns(store.read, ids, i.format, i.csvTable)
  },
  'export.run': (i) => exportRuns(store.read, expandRef(store.read, i.id).flat(), i.format, i.csvTable),
})
