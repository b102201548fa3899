import type { ImportResult } from '../../../shared/dto'
import type { Result } from '../../../shared/result'

/** Imports what was dropped on the window; `signal` cancels it while files are still being handed over. */
export interface DropImporter {
  importDrop(dt: DataTransfer, importId: string, signal?: AbortSignal): Promise<Result<ImportResult>>
}
