import { BrowserWindow, screen } from 'electron'
import { readJsonFile, writeJsonFile } from './json-file'
import { MIN_SIZE, parseWindowState, restoreWindowState, type WindowState } from './window-state'
import { webPreferences } from './security'

// The main window: hardened preferences, and size/position/maximised/screen remembered in
// userData (window-state.json) and restored onto a display that is still there.

export interface MainWindowOptions {
  statePath: string
  preload: string
  icon?: string
  load(win: BrowserWindow): void
}

function displays() {
  return { all: screen.getAllDisplays().map((d) => ({ id: d.id, workArea: d.workArea })), primary: screen.getPrimaryDisplay() }
}

/** The preferences each window was created with (Electron has no getter), for the e2e hardening check. */
const applied = new WeakMap<BrowserWindow, ReturnType<typeof webPreferences>>()
export const preferencesOf = (win: BrowserWindow) => applied.get(win)

export function createMainWindow(o: MainWindowOptions): BrowserWindow {
  const { all, primary } = displays()
  const state = restoreWindowState(parseWindowState(readJsonFile(o.statePath)), all, { id: primary.id, workArea: primary.workArea })
  const prefs = webPreferences(o.preload)
  const win = new BrowserWindow({
    ...state.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Swarmscope',
    icon: o.icon,
    show: false,
    backgroundColor: '#0f1420',
    webPreferences: prefs,
  })
  applied.set(win, prefs)
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize()
    if (state.fullScreen) win.setFullScreen(true)
    win.show()
  })

  const save = () => {
    if (win.isDestroyed()) return
    const bounds = win.getNormalBounds()
    const saved: WindowState = { bounds, maximized: win.isMaximized(), fullScreen: win.isFullScreen(), displayId: screen.getDisplayMatching(bounds).id }
    try {
      writeJsonFile(o.statePath, saved)
    } catch {
      // Not remembering the window is no reason to stop the user closing it.
    }
  }
  // Saved shortly after each change too, not only on close: a crash should not lose it.
  let timer: ReturnType<typeof setTimeout> | undefined
  const saveSoon = () => {
    clearTimeout(timer)
    timer = setTimeout(save, 500)
  }
  for (const event of ['resize', 'move', 'maximize', 'unmaximize', 'enter-full-screen', 'leave-full-screen'] as const) win.on(event as 'resize', saveSoon)
  win.on('close', () => {
    clearTimeout(timer)
    save()
  })
  o.load(win)
  return win
}
