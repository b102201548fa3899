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
export function repricePending(store: Store): void {
  const db = store.write
  if (!db.prepare('SELECT 1 FROM pending_reprice LIMIT 1').get()) return
  const table = pricesForDb(store.path)
  db.transaction(() => {
    recomputeCosts(db, table, [table, builtInPrices], undefined, { legacyPrefix: true })
    db.prepare('DELETE FROM pending_reprice').run()
  })()
}
