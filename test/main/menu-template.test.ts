import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { findMenuItem, menuTemplate, type MenuActions, type MenuContext } from '../../src/main/menu-template'

// A recording stand-in for the shell's actions: each click appends what it would do.
function recorder() {
  const calls: string[] = []
  const actions: MenuActions = {
    open: () => calls.push('open'),
    importFolder: () => calls.push('importFolder'),
    openRecent: (p) => calls.push(`openRecent ${p}`),
    clearRecent: () => calls.push('clearRecent'),
    export: () => calls.push('export'),
    print: () => calls.push('print'),
    setTheme: (t) => calls.push(`theme ${t}`),
    openDocs: () => calls.push('docs'),
    openLogs: () => calls.push('logs'),
    about: () => calls.push('about'),
  }
  return { calls, actions }
}
const ctx = (o: Partial<MenuContext> = {}): MenuContext => ({ platform: 'linux', isDev: false, recent: [], theme: 'system', appName: 'Swarmscope', ...o })
const click = (item: MenuItemConstructorOptions | undefined) => (item!.click as () => void)()
const labels = (t: MenuItemConstructorOptions[]) => t.map((m) => m.label ?? m.role)

describe('application menu', () => {
  it('has File, Edit, View and Help with standard accelerators', () => {
    const t = menuTemplate(ctx(), recorder().actions)
    expect(labels(t)).toEqual(['&File', 'editMenu', '&View', '&Help'])
    expect(Object.fromEntries(['file.open', 'file.importFolder', 'file.export', 'file.print'].map((id) => [id, findMenuItem(t, id)!.accelerator]))).toEqual({
      'file.open': 'CmdOrCtrl+O',
      'file.importFolder': 'CmdOrCtrl+Shift+O',
      'file.export': 'CmdOrCtrl+E',
      'file.print': 'CmdOrCtrl+P',
    })
    const view = (t[2].submenu as MenuItemConstructorOptions[]).map((i) => i.role).filter(Boolean)
    expect(view).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen'])
  })

  it('offers reload and developer tools only when unpackaged', () => {
    expect(findMenuItem(menuTemplate(ctx(), recorder().actions), 'view.devtools')).toBeUndefined()
    expect(findMenuItem(menuTemplate(ctx({ isDev: true }), recorder().actions), 'view.devtools')).toMatchObject({ role: 'toggleDevTools' })
  })

  it('wires every item to its action', () => {
    const { calls, actions } = recorder()
    const t = menuTemplate(ctx({ recent: ['/logs/a.jsonl'] }), actions)
    for (const id of ['file.open', 'file.importFolder', 'file.recent.0', 'file.recent.clear', 'file.export', 'file.print', 'view.theme.dark', 'help.docs', 'help.logs', 'help.about']) click(findMenuItem(t, id))
    expect(calls).toEqual(['open', 'importFolder', 'openRecent /logs/a.jsonl', 'clearRecent', 'export', 'print', 'theme dark', 'docs', 'logs', 'about'])
  })

  it('lists recent documents by name and folder, newest first, or says there are none', () => {
    const t = menuTemplate(ctx({ recent: ['/p/new.jsonl', '/q/old.swarmscope'] }), recorder().actions)
    const recent = findMenuItem(t, 'file.recent')!.submenu as MenuItemConstructorOptions[]
    expect(recent.map((i) => i.label ?? i.type)).toEqual(['new.jsonl — /p', 'old.swarmscope — /q', 'separator', 'Clear Recent'])
    expect(findMenuItem(menuTemplate(ctx(), recorder().actions), 'file.recent.none')).toMatchObject({ enabled: false })
  })

  it('marks the current theme', () => {
    const t = menuTemplate(ctx({ theme: 'dark' }), recorder().actions)
    expect(['system', 'light', 'dark'].map((x) => findMenuItem(t, `view.theme.${x}`)!.checked)).toEqual([false, false, true])
  })

  it('follows macOS conventions: app menu with About and Quit, Window menu, Close in File', () => {
    const t = menuTemplate(ctx({ platform: 'darwin' }), recorder().actions)
    expect(labels(t)).toEqual(['Swarmscope', '&File', 'editMenu', '&View', 'windowMenu', '&Help'])
    expect((t[0].submenu as MenuItemConstructorOptions[]).map((i) => i.id ?? i.role ?? i.type)).toContain('help.about')
    expect((t[1].submenu as MenuItemConstructorOptions[]).at(-1)).toEqual({ role: 'close' })
    expect((t.at(-1)!.submenu as MenuItemConstructorOptions[]).map((i) => i.id)).not.toContain('help.about')
  })
})
