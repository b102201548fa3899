import { randomUUID } from 'node:crypto'
import { CoreError } from '../../shared/result'
import { loadConfig } from '../config/file'
import { importPaths } from '../ingest/importer'
import { userRedactionRules } from '../privacy/user-rules'
import { getRuns } from '../queries/runs'
import type { CoreContext, HandlersFor } from './types'

export function importHandlers({ store, writes, emit }: CoreContext): HandlersFor<'import'> {
  const running = new Map<string, AbortController>()
  /**
   * Cancels that came before their import started (a drop still uploading when Cancel was
   * clicked, its import request already on its way): that import is refused when it arrives.
   */
  const cancelledEarly = new Set<string>()
  return {
    'import.paths': async (i) => {
      const importId = i.importId ?? randomUUID()
      if (cancelledEarly.delete(importId)) throw new CoreError('cancelled', 'import cancelled')
      const redactRules = userRedactionRules(store.path, i.redactRules)
      const abort = new AbortController()
      running.set(importId, abort)
      try {
        const outcome = await writes.run(() =>
          importPaths(store, {
            paths: i.paths,
            group: i.group,
            tags: i.tags,
            // The import's own choice, else the user's setting (privacy.contentPolicy), else none.
            contentPolicy: i.content ?? loadConfig(store.path).privacy.contentPolicy,
            redactRules,
            signal: abort.signal,
            onProgress: (p) => emit('import.progress', { importId, ...p }),
          }),
          { waitsItself: true },
        )
        emit('runs.changed', { runIds: outcome.runIds })
        // Summaries come from the write connection: the transaction has committed.
        return { runs: getRuns(store.write, outcome.runIds), skipped: outcome.skipped, files: outcome.files, unchanged: outcome.unchanged, kept: outcome.kept }
      } finally {
        running.delete(importId)
      }
    },
    'import.cancel': (i) => {
      const abort = running.get(i.importId)
      abort?.abort()
      if (!abort) {
        cancelledEarly.add(i.importId)
        // Ids of imports that never came would otherwise pile up: the oldest go.
        if (cancelledEarly.size > 100) cancelledEarly.delete(cancelledEarly.values().next().value as string)
      }
      return { cancelled: abort !== undefined }
    },
  }
}
