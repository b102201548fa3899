/// <reference lib="dom" />
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CC, SIDECHAIN } from '../../test/helpers/transcript-facts'
import { callFromPage, ELECTRON, expect, ROOT, SKIP_REASON, test } from './electron-app'

// The desktop shell end to end: real Electron, real core, temporary profile. Skipped, with the
// reason, where the Electron binary is not installed (electron-app.ts).
test.skip(!ELECTRON, SKIP_REASON)

const runCount = async (window: Parameters<typeof callFromPage>[0]) => (await callFromPage<unknown[]>(window, 'runs.list', {})).data.length

test('the window is hardened: isolated, sandboxed, no Node, no navigation or pop-ups, permissions denied', async ({ desktop }) => {
  // Electron has no getter for a window's preferences: the main process records what it passed.
  const prefs = await desktop.app.evaluate(() => (globalThis as unknown as { __swarmscope: { preferences(): unknown } }).__swarmscope.preferences())
  expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false })
  // Where the OS reports it (macOS, Windows), the renderer process really is sandboxed.
  const sandboxed = await desktop.app.evaluate(({ app, BrowserWindow }) => {
    const pid = BrowserWindow.getAllWindows()[0].webContents.getOSProcessId()
    return app.getAppMetrics().find((m) => m.pid === pid)?.sandboxed
  })
  if (sandboxed !== undefined) expect(sandboxed).toBe(true)
  const page = desktop.window
  expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined'])
  expect(await page.evaluate(() => Object.keys((globalThis as unknown as { api: object }).api).sort())).toEqual(['call', 'on', 'pathForFile'])
  expect(await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'))).toContain("script-src 'self'")
  expect(await page.evaluate(() => window.open('file:///etc/hostname') === null)).toBe(true)
  const url = page.url()
  await page.evaluate(() => (location.href = 'file:///etc/hostname'))
  await page.waitForTimeout(300)
  expect(page.url()).toBe(url)
  expect(await page.evaluate(async () => (await navigator.permissions.query({ name: 'geolocation' })).state)).toBe('denied')
})

test('File › Open… imports the chosen transcript and lists it under Open Recent', async ({ desktop }) => {
  await desktop.app.evaluate(({ dialog }, file) => {
    dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [file] })) as unknown as typeof dialog.showOpenDialog
  }, SIDECHAIN)
  await desktop.app.evaluate(({ Menu }) => Menu.getApplicationMenu()!.getMenuItemById('file.open')!.click())
  await expect.poll(() => runCount(desktop.window)).toBe(1)
  expect(await desktop.app.evaluate(({ Menu }) => Menu.getApplicationMenu()!.getMenuItemById('file.recent.0')?.toolTip)).toBe(SIDECHAIN)
})

test('a path on the command line is imported at start; a second launch hands its bundle to the running app', async ({ desktop }) => {
  const { window } = await desktop.relaunch(['--', SIDECHAIN])
  await expect.poll(() => runCount(window)).toBe(1)
  // A bundle made with the CLI, opened the way a double-click or `swarmscope open` does: a second launch.
  const dir = mkdtempSync(join(tmpdir(), 'swarmscope-bundle-'))
  const db = join(dir, 'cli.db')
  const bundle = join(dir, 'project.swarmscope')
  const cli = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/swarmscope.mjs'), ...args, '--db', db], { encoding: 'utf8' })
  expect(cli(['import', CC]).status).toBe(0)
  const ids = (JSON.parse(cli(['runs', '--json']).stdout) as { id: string }[]).map((r) => r.id)
  expect(cli(['bundle', 'export', ...ids, '--out', bundle]).status).toBe(0)
  const second = spawn(ELECTRON!, [ROOT, `--user-data-dir=${desktop.userData}`, '--', bundle], { stdio: 'ignore' })
  const code = await new Promise<number | null>((r) => second.on('exit', r))
  expect(code).toBe(0) // it found the running app and left
  await expect.poll(() => runCount(window)).toBe(ids.length)
})

test('exports a PDF through printToPDF and a bundle through the native save dialog', async ({ desktop }) => {
  const pdf = await desktop.app.evaluate(async () => {
    const hook = (globalThis as unknown as { __swarmscope: { printHtmlToPdf(html: string): Promise<Uint8Array> } }).__swarmscope
    const bytes = Buffer.from(await hook.printHtmlToPdf('<!doctype html><h1>Swarmscope report</h1><p>tokens: 1,234</p>'))
    return { head: bytes.subarray(0, 5).toString('latin1'), size: bytes.length }
  })
  expect(pdf.head).toBe('%PDF-')
  expect(pdf.size).toBeGreaterThan(500)

  await callFromPage(desktop.window, 'import.paths', { paths: [SIDECHAIN] })
  const [run] = (await callFromPage<{ id: string }[]>(desktop.window, 'runs.list', {})).data
  const out = join(mkdtempSync(join(tmpdir(), 'swarmscope-export-')), 'shared')
  await desktop.app.evaluate(({ dialog }, path) => {
    dialog.showSaveDialog = (async () => ({ canceled: false, filePath: path })) as unknown as typeof dialog.showSaveDialog
  }, out)
  const saved = await callFromPage<{ saved: boolean; path: string }>(desktop.window, 'shell.export', { runIds: [run.id], format: 'bundle' })
  expect(saved.data).toEqual({ saved: true, path: `${out}.swarmscope` })
  expect(readFileSync(`${out}.swarmscope`).subarray(0, 15).toString()).toBe('SQLite format 3')

  const report = await callFromPage<{ saved: boolean; path: string }>(desktop.window, 'shell.export', { runIds: [run.id], format: 'pdf' })
  if (!report.ok && report.error?.code === 'unsupported_format') test.info().annotations.push({ type: 'note', description: report.error.message })
  else expect(readFileSync(report.data.path).subarray(0, 5).toString('latin1')).toBe('%PDF-')
})

test('View › Theme sets the native theme and tells the renderer; the window comes back where it was', async ({ desktop }) => {
  await desktop.window.evaluate(() => {
    const g = globalThis as unknown as { api: { on(e: string, l: (p: unknown) => void): void }; got: unknown[] }
    g.got = []
    g.api.on('shell.command', (p) => g.got.push(p))
  })
  await desktop.app.evaluate(({ Menu }) => Menu.getApplicationMenu()!.getMenuItemById('view.theme.dark')!.click())
  expect(await desktop.app.evaluate(({ nativeTheme }) => nativeTheme.themeSource)).toBe('dark')
  await expect.poll(() => desktop.window.evaluate(() => (globalThis as unknown as { got: unknown[] }).got)).toEqual([{ command: 'theme', theme: 'dark' }])

  await desktop.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].setBounds({ x: 40, y: 50, width: 1000, height: 700 }))
  const { app } = await desktop.relaunch()
  const bounds = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].getBounds())
  expect(bounds).toMatchObject({ width: 1000, height: 700 })
  expect(await app.evaluate(({ nativeTheme }) => nativeTheme.themeSource)).toBe('dark')
})
