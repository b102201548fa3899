import { basename, dirname } from 'node:path'
import type { MenuItemConstructorOptions } from 'electron'
import type { Theme } from '../shared/shell'

// The application menu as data, built without Electron so tests can read it. index.ts hands it
// to Menu.buildFromTemplate; the clicks call the actions below.

export interface MenuActions {
  open(): void
  importFolder(): void
  openRecent(path: string): void
  clearRecent(): void
  export(): void
  print(): void
  setTheme(theme: Theme): void
  openDocs(): void
  openLogs(): void
  about(): void
}

export interface MenuContext {
  platform: NodeJS.Platform
  /** Unpackaged: reload and developer tools are offered. */
  isDev: boolean
  recent: readonly string[]
  theme: Theme
  appName: string
}

const sep: MenuItemConstructorOptions = { type: 'separator' }

function recentItems(ctx: MenuContext, a: MenuActions): MenuItemConstructorOptions[] {
  if (ctx.recent.length === 0) return [{ id: 'file.recent.none', label: 'No Recent Files', enabled: false }]
  return [
    ...ctx.recent.map((path, i): MenuItemConstructorOptions => ({ id: `file.recent.${i}`, label: `${basename(path)} — ${dirname(path)}`, toolTip: path, click: () => a.openRecent(path) })),
    sep,
    { id: 'file.recent.clear', label: 'Clear Recent', click: () => a.clearRecent() },
  ]
}

export function menuTemplate(ctx: MenuContext, a: MenuActions): MenuItemConstructorOptions[] {
  const mac = ctx.platform === 'darwin'
  const about: MenuItemConstructorOptions = { id: 'help.about', label: `About ${ctx.appName}`, click: () => a.about() }
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { id: 'file.open', label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => a.open() },
      { id: 'file.importFolder', label: 'Import Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => a.importFolder() },
      { id: 'file.recent', label: 'Open Recent', submenu: recentItems(ctx, a) },
      sep,
      { id: 'file.export', label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => a.export() },
      { id: 'file.print', label: 'Print…', accelerator: 'CmdOrCtrl+P', click: () => a.print() },
      sep,
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  }
  const themes: [Theme, string][] = [['system', 'System'], ['light', 'Light'], ['dark', 'Dark']]
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep,
      { id: 'view.theme', label: 'Theme', submenu: themes.map(([theme, label]) => ({ id: `view.theme.${theme}`, label, type: 'radio', checked: ctx.theme === theme, click: () => a.setTheme(theme) })) },
      { role: 'togglefullscreen' },
      ...(ctx.isDev ? [sep, { id: 'view.reload', role: 'reload' } as const, { id: 'view.devtools', role: 'toggleDevTools' } as const] : []),
    ],
  }
  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      { id: 'help.docs', label: `${ctx.appName} Documentation`, click: () => a.openDocs() },
      { id: 'help.logs', label: 'Open Logs Folder', click: () => a.openLogs() },
      ...(mac ? [] : [sep, about]),
    ],
  }
  const appMenu: MenuItemConstructorOptions = {
    label: ctx.appName,
    submenu: [about, sep, { role: 'services' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }],
  }
  return [...(mac ? [appMenu] : []), file, { role: 'editMenu' }, view, ...(mac ? [{ role: 'windowMenu' } as const] : []), help]
}

/** Finds an item by id anywhere in a template (tests, and the e2e spec's menu clicks). */
export function findMenuItem(items: readonly MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions | undefined {
  for (const item of items) {
    if (item.id === id) return item
    const found = Array.isArray(item.submenu) ? findMenuItem(item.submenu, id) : undefined
    if (found) return found
  }
  return undefined
}
