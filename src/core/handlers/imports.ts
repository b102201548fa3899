import { randomUUID } from 'node:crypto'
import { loadConfig } from '../config/file'
import { importPaths } from '../ingest/importer'
import { userRedactionRules } from '../privacy/user-rules'
import { getRuns } from '../queries/runs'
import type { CoreContext, HandlersFor } from './types'

export function importHandlers({ store, writes, emit }: CoreContext): HandlersFor<'import'> {
  const running = new Map<string, AbortController>()
  return {
    'import.paths': async (i) => {
      const importId = i.importId ?? randomUUID()
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
      return { cancelled: abort !== undefined }
    },
  }
}
