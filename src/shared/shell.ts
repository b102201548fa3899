import { z } from 'zod'
import { AnonymizeRequest } from './anonymize'

// Messages between the Electron shell (src/main) and the renderer that are not core routes.
// Only the desktop app has them; in a browser (the local host) they never arrive, and the
// renderer should offer its own fallbacks there.
//
// Main → renderer: a push on the existing event subscription,
//   window.api?.on(SHELL_COMMAND_EVENT, (msg) => …)   // msg: ShellCommand
//
// Renderer → main: a call on the existing `window.api.call`, with a `shell.` route name; the
// main process answers it itself (native dialogs) instead of passing it to the core:
//   window.api?.call('shell.export', { runIds, format: 'bundle' })   // → Result<ShellExportResult>

export const SHELL_COMMAND_EVENT = 'shell.command'

export const Theme = z.enum(['system', 'light', 'dark'])
export type Theme = z.infer<typeof Theme>

export const ShellCommand = z.discriminatedUnion('command', [
  /** File › Export…: ask the user what to export (the selected runs), then call `shell.export`. */
  z.object({ command: z.literal('export') }),
  /** View › Theme: the main process has already set nativeTheme (so prefers-color-scheme follows). */
  z.object({ command: z.literal('theme'), theme: Theme }),
  /** A file or folder opened from outside the window (menu, double-click, dock, CLI) was imported: show this run. */
  z.object({ command: z.literal('show-run'), runId: z.string() }),
])
export type ShellCommand = z.infer<typeof ShellCommand>

export const shellRoutes = {
  /** Shows a native save dialog and writes the runs there: a .swarmscope bundle or a PDF report. */
  'shell.export': {
    input: z.object({ runIds: z.array(z.string().min(1)).min(1), format: z.enum(['bundle', 'pdf']), includeContent: z.boolean().optional(), anonymize: AnonymizeRequest.optional() }),
    output: z.union([z.object({ saved: z.literal(true), path: z.string() }), z.object({ saved: z.literal(false) })]),
  },
} as const
export type ShellRouteName = keyof typeof shellRoutes
export type ShellExportResult = z.infer<(typeof shellRoutes)['shell.export']['output']>
export const isShellRoute = (route: string): route is ShellRouteName => Object.hasOwn(shellRoutes, route)
