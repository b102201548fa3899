import type { Store } from '../store/open'
import { pricesForDb } from './effective'
import { builtInPrices } from './price'
import { recomputeCosts } from './recompute'

/**
 * Reprices what a migration marked (table pending_reprice): once, when a core first opens the
 * store after the upgrade. Only costs Swarmscope computed are touched, recognised under the old
 * prefix rule too; a call whose model no entry prices any more becomes unpriced (and is listed
 * as such) rather than keeping another model's price.
 */
export function repricePending(store: Store): { runs: number; spans: number } | null {
  const db = store.write
  const pending = db.prepare('SELECT reason FROM pending_reprice').pluck().all() as string[]
  if (pending.length === 0) return null
  const table = pricesForDb(store.path)
  const result = db.transaction(() => {
    const r = recomputeCosts(db, table, [table, builtInPrices], undefined, { legacyPrefix: true })
    db.prepare('DELETE FROM pending_reprice').run()
    return r
  })()
  return { runs: result.runs, spans: result.spans }
}
