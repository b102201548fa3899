import type { MessageBoxOptions } from 'electron'

// An uncaught error in the main process, or a renderer that died, is shown to the user with
// the details to copy into a bug report, instead of the app vanishing silently.

export interface CrashContext {
  appVersion: string
  electron: string
  chrome: string
  node: string
  platform: string
  arch: string
  logFile: string
  when: Date
}

export function crashDetails(what: string, error: unknown, ctx: CrashContext): string {
  const err = error instanceof Error ? error : new Error(typeof error === 'string' ? error : JSON.stringify(error))
  return [
    `${what}: ${err.message}`,
    '',
    `Swarmscope ${ctx.appVersion} · Electron ${ctx.electron} · Chrome ${ctx.chrome} · Node ${ctx.node} · ${ctx.platform} ${ctx.arch}`,
    `Time: ${ctx.when.toISOString()}`,
    `Log: ${ctx.logFile}`,
    '',
    err.stack ?? err.message,
  ].join('\n')
}

export const CRASH_BUTTONS = { copy: 0, continue: 1, quit: 2 } as const

/**
 * The dialog's options. "Copy Details" copies and the caller shows the dialog again, so the
 * user still chooses between going on (Continue, or Reload for a dead renderer) and quitting.
 */
export function crashDialog(title: string, details: string, continueLabel: 'Continue' | 'Reload' = 'Continue'): MessageBoxOptions {
  const [summary] = details.split('\n')
  return {
    type: 'error',
    title: 'Swarmscope',
    message: title,
    detail: `${summary}\n\nThe details are also in the log. Copy them into a bug report.`,
    buttons: ['Copy Details', continueLabel, 'Quit'],
    defaultId: CRASH_BUTTONS.continue,
    cancelId: CRASH_BUTTONS.continue,
    noLink: true,
  }
}
