import type { Store } from '../store/open'
import { isBusy, writeWhileOpening } from '../store/write-lock'
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
  try {
    // Write-locked from the start and asked again under the lock: another process opening the
    // store at the same time may have repriced it already.
    writeWhileOpening(db, () => {
      if (!db.prepare('SELECT 1 FROM pending_reprice LIMIT 1').get()) return
      recomputeCosts(db, table, [table, builtInPrices], undefined, { legacyPrefix: true })
      db.prepare('DELETE FROM pending_reprice').run()
    })
  } catch (e) {
    // Another process is writing: the marks stay, and the next core to open the store reprices.
    if (!isBusy(e)) throw e
  }
}
