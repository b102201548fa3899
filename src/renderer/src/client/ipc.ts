import type { CoreClient, PreloadApi } from '../../../shared/client'
import type { ImportResult } from '../../../shared/dto'
import type { Result } from '../../../shared/result'
import type { DropImporter } from './drop'

/** The contract over Electron IPC, through the preload's narrow `window.api`. */
export function createIpcClient(api: PreloadApi): CoreClient & DropImporter {
  return {
    call: (route, input) => api.call(route, input) as never,
    on: (event, listener) => api.on(event, listener as (p: unknown) => void),
    importDrop(dt, importId) {
      // In Electron the dropped files and folders are on disk: import them in place, no upload.
      const paths = [...dt.files].map((f) => api.pathForFile(f)).filter(Boolean)
      return api.call('import.paths', { paths, importId }) as Promise<Result<ImportResult>>
    },
  }
}
