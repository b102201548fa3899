import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, session, shell } from 'electron'
import { createCore, setPrinterFactory, type Core } from '../core'
import { defaultDbPath } from '../core/platform/paths'
import { startDesktopServices, type DesktopServices } from '../server/desktop-services'
import { events, type EventName } from '../shared/contract'
import { SHELL_COMMAND_EVENT, Theme, type ShellCommand } from '../shared/shell'
import { installCrashHandlers } from './crash-handlers'
import { importFolderDialog, openFilesDialog } from './dialogs'
import { callDispatcher } from './ipc-dispatch'
import { readJsonFile, writeJsonFile } from './json-file'
import { createMainWindow, preferencesOf } from './main-window'
import { menuTemplate } from './menu-template'
import { electronNativeBinding } from './native'
import { openPaths } from './open-handler'
import { PendingOpens, pathsFromArgv, pathsFromSecondInstance, type ForwardedOpen } from './open-paths'
import { electronPrinter, printHtmlToPdf } from './pdf'
import { recentDocuments } from './recent-documents'
import { rotatingLog } from './rotating-log'
import { hardenContents, isTrustedSender, permissionAllowed } from './security'
import { askOpen, openDocs, shellHandlers, showAbout } from './shell-actions'

// The shell stays thin: a window, the core, IPC between them, and the desktop's ways in (menus,
// double-click, dock, second launches). Decisions live in plain modules tested in Node.

// A temporary profile for tests and side-by-side installs: also scopes the single-instance lock.
const userDataSwitch = app.commandLine.getSwitchValue('user-data-dir')
if (userDataSwitch) app.setPath('userData', resolve(userDataSwitch))
// The platform's logs folder (macOS ~/Library/Logs/<app>, else <userData>/logs), set before first use.
app.setAppLogsPath()
const log = rotatingLog(join(app.getPath('logs'), 'main.log'))
installCrashHandlers(log)
app.enableSandbox()

const argvContext = () => ({ cwd: process.cwd(), packaged: app.isPackaged })
const launchPaths = pathsFromArgv(process.argv, argvContext())
// A second launch hands its paths to the running app and leaves.
if (!app.requestSingleInstanceLock({ paths: launchPaths } satisfies ForwardedOpen)) app.quit()
else start()

function start(): void {
  const rendererRoot = join(__dirname, '../renderer')
  const devUrl = process.env.ELECTRON_RENDERER_URL
  const userData = app.getPath('userData')
  const settingsPath = join(userData, 'settings.json')
  const recent = recentDocuments(join(userData, 'recent.json'), existsSync)
  let theme: Theme = Theme.catch('system').parse((readJsonFile(settingsPath) as { theme?: unknown } | null)?.theme)
  let core: Core | null = null
  let win: BrowserWindow | null = null
  let services: DesktopServices | null = null
  const pending = new PendingOpens()
  pending.add(launchPaths)
  log.info(`starting Swarmscope ${app.getVersion()} (Electron ${process.versions.electron}, ${process.platform})`, { userData, launchPaths })

  const push = (command: ShellCommand) => win?.webContents.send('core:event', { event: SHELL_COMMAND_EVENT, payload: command })
  const ctx = { core: () => core!, window: () => win }
  const open = (paths: string[]) =>
    void openPaths(paths, {
      core: core!,
      notify: push,
      addRecent(path) {
        recent.add(path)
        app.addRecentDocument(path)
        installMenu()
      },
      showError: (title, message) => void (win ? dialog.showMessageBox(win, { type: 'warning', message: title, detail: message }) : dialog.showErrorBox(title, message)),
      log,
    })

  function installMenu(): void {
    const template = menuTemplate(
      { platform: process.platform, isDev: !app.isPackaged, recent: recent.list(), theme, appName: 'Swarmscope' },
      {
        open: () => void askOpen(ctx, openFilesDialog).then((p) => pending.add(p)),
        importFolder: () => void askOpen(ctx, importFolderDialog).then((p) => pending.add(p)),
        openRecent: (path) => pending.add([path]),
        clearRecent: () => {
          recent.clear()
          app.clearRecentDocuments()
          installMenu()
        },
        export: () => push({ command: 'export' }),
        print: () => win?.webContents.print({}, (ok, reason) => ok || reason === 'cancelled' || log.warn(`print failed: ${reason}`)),
        setTheme: (t) => {
          theme = t
          nativeTheme.themeSource = t
          writeJsonFile(settingsPath, { theme: t })
          push({ command: 'theme', theme: t })
          installMenu()
        },
        openDocs,
        openLogs: () => void shell.openPath(app.getPath('logs')),
        about: () => void showAbout(ctx, core?.dbPath ?? ''),
      },
    )
    Menu.setApplicationMenu(Menu.buildFromTemplate(template))
  }

  function showWindow(): void {
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore()
      win.focus()
      return
    }
    win = createMainWindow({
      statePath: join(userData, 'window-state.json'),
      preload: join(__dirname, '../preload/index.cjs'),
      icon: join(app.getAppPath(), 'resources/icons/512x512.png'),
      load: (w) => void (devUrl ? w.loadURL(devUrl) : w.loadFile(join(rendererRoot, 'index.html'))),
    })
    // Opened paths wait until the page can receive the run to show.
    win.webContents.on('did-finish-load', () => pending.attach(open))
    win.on('closed', () => {
      pending.detach()
      win = null
    })
  }

  app.on('second-instance', (_e, argv, cwd, data) => {
    showWindow()
    pending.add(pathsFromSecondInstance(data, argv, { cwd, packaged: app.isPackaged }))
  })
  // macOS: double-click in Finder, drop on the dock icon, Open Recent in the dock menu.
  app.on('open-file', (e, path) => {
    e.preventDefault()
    pending.add([path])
    if (app.isReady()) showWindow()
  })
  app.on('web-contents-created', (_e, contents) => {
    hardenContents(contents, {
      openExternal: (url) => void shell.openExternal(url),
      refused: (what, url) => log.warn(`refused ${what} ${url}`),
    })
  })

  app.whenReady().then(() => {
    for (const s of [session.defaultSession]) {
      s.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionAllowed(permission)))
      s.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission))
    }
    const dbPath = process.env.SWARMSCOPE_DB || (userDataSwitch ? join(userData, 'swarmscope.db') : defaultDbPath())
    try {
      // The CLI's database (one store for app, CLI and hooks), unless a test profile asks for its own.
      core = createCore({ path: dbPath, nativeBinding: electronNativeBinding(app.getAppPath(), process.resourcesPath, app.isPackaged) })
    } catch (e) {
      // A store that cannot be opened (read-only, not a store, damaged: store-errors.ts says
      // which and what to do) would otherwise end the app with no window and no word.
      log.error(`the store ${dbPath} could not be opened`, e)
      dialog.showErrorBox('Swarmscope cannot open its store', (e as Error).message)
      app.exit(1)
      return
    }
    log.info(`database ${core.dbPath}`)
    setPrinterFactory(electronPrinter)
    // Hooks, OTLP exporters, live clients and report schedules, as `swarmscope serve` has them.
    void startDesktopServices(core, { log: (line) => log.info(line) }).then(
      (s) => (services = s),
      (e: Error) => log.warn(`live services did not start: ${e.message}`),
    )
    const dispatch = callDispatcher({ core, isTrusted: (url) => isTrustedSender(url, rendererRoot, devUrl), shell: shellHandlers(ctx) })
    ipcMain.handle('core:call', (e, route: unknown, input: unknown) => dispatch(e.senderFrame?.url ?? '', route, input))
    for (const event of Object.keys(events) as EventName[]) {
      core.on(event, (payload) => win?.webContents.send('core:event', { event, payload }))
    }
    nativeTheme.themeSource = theme
    installMenu()
    showWindow()
    app.on('activate', showWindow)
    // End-to-end specs reach into the main process through this, and only when they ask for it.
    if (process.env.SWARMSCOPE_E2E === '1') Object.assign(globalThis, { __swarmscope: { printHtmlToPdf, preferences: () => (win ? preferencesOf(win) : null), dbPath: core.dbPath, logFile: log.file } })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  // Live sources write what they hold before the database closes; quit waits for that once.
  let stopped = false
  app.on('will-quit', (e) => {
    if (stopped) return
    e.preventDefault()
    stopped = true
    void (services?.stop() ?? Promise.resolve())
      .catch((err: Error) => log.warn(`stopping live services: ${err.message}`))
      .finally(() => {
        core?.close()
        app.quit()
      })
  })
}
