import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { BUNDLE_EXTENSION } from '../../shared/routes/bundle'
import { CoreError } from '../../shared/result'
import { VERSION } from '../../shared/version'
import { exportBundle } from '../bundle/export'
import { importBundleRuns, withBundle } from '../bundle/import'
import { scratchDir } from '../platform/scratch'
import { withAnonymizedView } from '../privacy/anonymized-view'
import { getRun, resolveRunId } from '../queries/runs'
import type { CoreContext, HandlersFor } from './types'

/** A bundle returned to download (the app in a browser has no file system to write it to) is held in memory: this much at most. */
const MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024

// Bundles attach to the write connection, so every bundle route waits its turn in the write
// queue: an import holding a transaction open would make ATTACH fail. An anonymized bundle is
// written from an in-memory copy of the runs and attaches there instead.
export const bundleHandlers = ({ store, writes, emit }: CoreContext): HandlersFor<'bundle'> => ({
  'bundle.export': async (i) => {
    const runIds = [...new Set(i.runIds.map((ref) => resolveRunId(store.read, ref)))]
    const tmp = i.out ? null : scratchDir('swarmscope-bundle-')
    const out = i.out ?? join(tmp!, `${runIds.length === 1 ? 'run' : `swarmscope-${runIds.length}-runs`}${BUNDLE_EXTENSION}`)
    try {
      const base = { out, includeContent: i.includeContent, overwrite: i.overwrite, appVersion: VERSION, schemaVersion: store.schemaVersion }
      const a = i.anonymize
      const written = a
        ? await withAnonymizedView(store, runIds, a, { content: i.includeContent === true }, (view) => ({
            ...exportBundle(view.store.write, { ...base, runRefs: runIds.map(view.ref) }),
            mapping: a.mapping ? view.pseudonymizer.mapping() : undefined,
          }))
        : await writes.run(() => exportBundle(store.write, { ...base, runRefs: runIds }))
      if (!tmp) return written
      if (written.bytes > MAX_DOWNLOAD_BYTES) {
        throw new CoreError('bad_request', `the bundle is ${Math.round(written.bytes / 1048576)} MB, too large to download; write it to a file instead (swarmscope bundle export … --out FILE${BUNDLE_EXTENSION})`)
      }
      const content = readFileSync(written.path)
      const name = `${written.manifest.runIds.length === 1 ? written.manifest.runIds[0].replace(/[^\w.-]+/g, '_').slice(0, 80) : `swarmscope-${runIds.length}-runs`}${BUNDLE_EXTENSION}`
      return { ...written, path: null, file: { name, mimeType: 'application/vnd.sqlite3', encoding: 'base64' as const, content: content.toString('base64'), bytes: content.length } }
    } finally {
      if (tmp) rmSync(tmp, { recursive: true, force: true })
    }
  },
  'bundle.import': async (i) => {
    const { manifest, added, existing } = await writes.run(() => withBundle(store.write, i.path, (m) => ({ manifest: m, ...importBundleRuns(store.write, m) })))
    if (added.length) emit('runs.changed', { runIds: added })
    return { runs: added.map((id) => getRun(store.write, id)), existing, manifest }
  },
  'bundle.inspect': (i) => writes.run(() => withBundle(store.write, i.path, (m) => m)),
})
