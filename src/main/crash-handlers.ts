import { app, clipboard, dialog, type WebContents } from 'electron'
import { VERSION } from '../shared/version'
import { CRASH_BUTTONS, crashDetails, crashDialog } from './crash-report'
import type { Log } from './rotating-log'

// Uncaught errors in the main process and renderers that die are logged and shown to the user
// with a "Copy Details" button, instead of a silent crash or a blank window.

export function installCrashHandlers(log: Log): void {
  let showing = false
  const context = () => ({
    appVersion: VERSION,
    electron: process.versions.electron ?? '?',
    chrome: process.versions.chrome ?? '?',
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
    logFile: log.file,
    when: new Date(),
  })

  async function report(title: string, error: unknown, continueLabel: 'Continue' | 'Reload', onContinue?: () => void): Promise<void> {
    const details = crashDetails(title, error, context())
    log.error(title, error)
    // One dialog at a time: an error loop must not stack hundreds of them.
    if (showing) return
    if (!app.isReady()) {
      dialog.showErrorBox(title, details) // the only dialog Electron can show before ready
      return
    }
    showing = true
    try {
      for (;;) {
        const { response } = await dialog.showMessageBox(crashDialog(title, details, continueLabel))
        if (response === CRASH_BUTTONS.copy) {
          clipboard.writeText(details)
          continue
        }
        if (response === CRASH_BUTTONS.quit) app.exit(1)
        else onContinue?.()
        return
      }
    } finally {
      showing = false
    }
  }

  process.on('uncaughtException', (e) => void report('Swarmscope hit an unexpected error', e, 'Continue'))
  process.on('unhandledRejection', (e) => void report('Swarmscope hit an unexpected error', e, 'Continue'))
  app.on('render-process-gone', (_e, contents: WebContents, details) => {
    if (details.reason === 'clean-exit') return
    void report('The Swarmscope window stopped working', new Error(`renderer ${details.reason} (exit code ${details.exitCode})`), 'Reload', () => {
      if (!contents.isDestroyed()) contents.reload()
    })
  })
  app.on('child-process-gone', (_e, details) => {
    if (details.reason !== 'clean-exit') log.warn(`${details.type} process gone: ${details.reason}`, details)
  })
}
