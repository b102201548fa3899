import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { app, dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions, shell } from 'electron'
import type { Core } from '../core'
import type { AnonymizeRequest } from '../shared/anonymize'
import { routes, type RouteName } from '../shared/contract'
import { fail, ok, type Result } from '../shared/result'
import type { ShellExportResult } from '../shared/shell'
import { exportDialog, withExtension } from './dialogs'
import type { ShellHandlers } from './ipc-dispatch'
import { printHtmlToPdf } from './pdf'

// The shell's own work that needs Electron: native dialogs, printing, opening folders. Each
// function is small; the decisions (options, file names, routing) live in tested modules.

export interface ActionContext {
  core: () => Core
  window: () => BrowserWindow | null
}

export async function askOpen(ctx: ActionContext, options: OpenDialogOptions): Promise<string[]> {
  const win = ctx.window()
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
  return r.canceled ? [] : r.filePaths
}

async function askSave(ctx: ActionContext, options: SaveDialogOptions): Promise<string | null> {
  const win = ctx.window()
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
  return r.canceled || !r.filePath ? null : r.filePath
}

/**
 * The report HTML for some runs, from the core's reports (one run, or the first run as the
 * baseline of a comparison). Looked up by name so the shell works before that route exists.
 */
async function reportHtml(core: Core, runIds: string[], anonymize?: AnonymizeRequest): Promise<Result<string>> {
  if (!Object.hasOwn(routes, 'reports.render')) return fail('unsupported_format', 'PDF reports are not available in this build')
  const target = runIds.length === 1 ? runIds[0] : `${runIds[0]}..${runIds.slice(1).join(',')}`
  const r = (await core.call('reports.render' as RouteName, { target, format: 'html', anonymize } as never)) as Result<{ content: string; encoding: string }>
  if (!r.ok) return r
  return ok(r.data.encoding === 'base64' ? Buffer.from(r.data.content, 'base64').toString('utf8') : r.data.content)
}

export function shellHandlers(ctx: ActionContext): ShellHandlers {
  return {
    'shell.export': async (i): Promise<Result<ShellExportResult>> => {
      const folder = app.getPath('documents')
      if (i.format === 'bundle') {
        const path = await askSave(ctx, exportDialog('bundle', folder, i.runIds.length))
        if (!path) return ok({ saved: false })
        // The save dialog has asked about replacing an existing file.
        const out = withExtension(path, '.swarmscope')
        const r = await ctx.core().call('bundle.export', { runIds: i.runIds, out, includeContent: i.includeContent, overwrite: true, anonymize: i.anonymize })
        return r.ok ? ok({ saved: true, path: r.data.path ?? out }) : r
      }
      const html = await reportHtml(ctx.core(), i.runIds, i.anonymize)
      if (!html.ok) return html
      const path = await askSave(ctx, exportDialog('pdf', folder, i.runIds.length))
      if (!path) return ok({ saved: false })
      const out = withExtension(path, '.pdf')
      writeFileSync(out, await printHtmlToPdf(html.data))
      return ok({ saved: true, path: out })
    },
  }
}

/** The README beside the app (unpacked from the asar, so the system's viewer can read it). */
export function openDocs(): void {
  const readme = join(app.getAppPath().replace(/app\.asar$/, 'app.asar.unpacked'), 'README.md')
  void (existsSync(readme) ? shell.openPath(readme) : Promise.resolve(''))
}

export async function showAbout(ctx: ActionContext, dbPath: string): Promise<void> {
  const v = process.versions
  const detail = [`Version ${app.getVersion()}`, `Electron ${v.electron} · Chrome ${v.chrome} · Node ${v.node}`, `Data: ${dbPath}`, `Logs: ${app.getPath('logs')}`].join('\n')
  const win = ctx.window()
  const options = { type: 'info' as const, title: 'About Swarmscope', message: 'Swarmscope', detail, buttons: ['OK'] }
  await (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options))
}
