import { VERSION } from '../../shared/version'
import { exportBundle } from '../bundle/export'
import { importBundleRuns, withBundle } from '../bundle/import'
import { getRun } from '../queries/runs'
import type { CoreContext, HandlersFor } from './types'

// Bundles attach to the write connection, so every bundle route waits its turn in the write
// queue: an import holding a transaction open would make ATTACH fail.
export const bundleHandlers = ({ store, writes, emit }: CoreContext): HandlersFor<'bundle'> => ({
  'bundle.export': (i) =>
    writes.run(() =>
      exportBundle(store.write, {
        runRefs: i.runIds,
        out: i.out,
        includeContent: i.includeContent,
        overwrite: i.overwrite,
        appVersion: VERSION,
        schemaVersion: store.schemaVersion,
      }),
    ),
  'bundle.import': async (i) => {
    const { manifest, added, existing } = await writes.run(() => withBundle(store.write, i.path, (m) => ({ manifest: m, ...importBundleRuns(store.write, m) })))
    if (added.length) emit('runs.changed', { runIds: added })
    return { runs: added.map((id) => getRun(store.write, id)), existing, manifest }
  },
  'bundle.inspect': (i) => writes.run(() => withBundle(store.write, i.path, (m) => m)),
})
