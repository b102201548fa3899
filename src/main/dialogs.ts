import { join } from 'node:path'
import type { OpenDialogOptions, SaveDialogOptions } from 'electron'
import { BUNDLE_EXTENSION } from '../shared/routes/bundle'

// The native dialogs' options as data (tested in Node); index.ts passes them to Electron.

export const openFilesDialog: OpenDialogOptions = {
  title: 'Open agent logs or a Swarmscope bundle',
  properties: ['openFile', 'multiSelections'],
  filters: [
    { name: 'Agent logs and bundles', extensions: ['jsonl', 'json', 'ndjson', 'db', BUNDLE_EXTENSION.slice(1)] },
    { name: 'Swarmscope bundle', extensions: [BUNDLE_EXTENSION.slice(1)] },
    { name: 'All files', extensions: ['*'] },
  ],
}

export const importFolderDialog: OpenDialogOptions = {
  title: 'Import a folder (e.g. ~/.claude/projects/<project>)',
  buttonLabel: 'Import',
  properties: ['openDirectory', 'multiSelections'],
}

const stamp = (now: Date) => now.toISOString().slice(0, 10)

export function exportDialog(format: 'bundle' | 'pdf', folder: string, runCount: number, now = new Date()): SaveDialogOptions {
  const what = runCount === 1 ? 'run' : `${runCount}-runs`
  return format === 'bundle'
    ? {
        title: 'Export runs as a Swarmscope bundle',
        defaultPath: join(folder, `swarmscope-${what}-${stamp(now)}${BUNDLE_EXTENSION}`),
        filters: [{ name: 'Swarmscope bundle', extensions: [BUNDLE_EXTENSION.slice(1)] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      }
    : {
        title: 'Export a PDF report',
        defaultPath: join(folder, `swarmscope-report-${stamp(now)}.pdf`),
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      }
}

/** Linux dialogs do not always add the extension of the chosen filter. */
export function withExtension(path: string, ext: string): string {
  return path.toLowerCase().endsWith(ext) ? path : path + ext
}
