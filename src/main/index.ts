import { join } from 'node:path'
import { app, BrowserWindow, ipcMain, session, shell } from 'electron'
import { createCore, type Core } from '../core'
import { events, routes, type EventName, type RouteName } from '../shared/contract'
import { electronNativeBinding } from './native'
import { isExternalLink, isTrustedSender, webPreferences } from './security'

// The shell stays thin: a window, the core, and IPC between them. Everything else is the core's.

const rendererRoot = join(__dirname, '../renderer')
const devUrl = process.env.ELECTRON_RENDERER_URL
let core: Core | null = null
let win: BrowserWindow | null = null

function createWindow(): void {
  win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Swarmscope',
    show: false,
    webPreferences: webPreferences(join(__dirname, '../preload/index.cjs')),
  })
  win.once('ready-to-show', () => win?.show())
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (e) => e.preventDefault())
  if (devUrl) void win.loadURL(devUrl)
  else void win.loadFile(join(rendererRoot, 'index.html'))
}

app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  core = createCore({
    path: process.env.SWARMSCOPE_DB || join(app.getPath('userData'), 'swarmscope.db'),
    nativeBinding: electronNativeBinding(app.getAppPath(), process.resourcesPath, app.isPackaged),
  })
  ipcMain.handle('core:call', async (e, route: string, input: unknown) => {
    if (!isTrustedSender(e.senderFrame?.url ?? '', rendererRoot, devUrl)) return { ok: false, error: { code: 'unauthorized', message: 'untrusted sender' } }
    if (!(route in routes)) return { ok: false, error: { code: 'not_found', message: `unknown route ${route}` } }
    return core!.call(route as RouteName, input as never) // the core validates input with the route's zod schema
  })
  for (const event of Object.keys(events) as EventName[]) {
    core.on(event, (payload) => win?.webContents.send('core:event', { event, payload }))
  }
  createWindow()
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow())
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
app.on('will-quit', () => core?.close())
