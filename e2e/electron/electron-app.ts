import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron, test as base, expect, type ElectronApplication, type Page } from '@playwright/test'
import { electronBinary } from '../../src/cli/desktop-app'

// Launches the real Electron app (where its binary is installed) with a temporary profile.
// Here, without the binary, every spec using this reports as skipped with the reason below.

export const ROOT = new URL('../../', import.meta.url).pathname
export const ELECTRON = electronBinary(ROOT)
export const SKIP_REASON = 'Electron binary not installed'
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)

/** Builds what the app needs once: the renderer/main bundles and the Electron build of better-sqlite3. */
function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'out/main/index.js'))) throw new Error('the app is not built: run `npm run build` (npm test does it)')
  if (existsSync(join(ROOT, '.native/electron/better_sqlite3.node'))) return
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-electron-native.mjs')], { stdio: 'inherit' })
  if (r.status !== 0) throw new Error('could not build better-sqlite3 for Electron (npm run electron:native)')
}

export interface Desktop {
  app: ElectronApplication
  window: Page
  userData: string
  relaunch(args?: string[]): Promise<{ app: ElectronApplication; window: Page }>
}

export async function launchApp(userData: string, args: string[] = []): Promise<{ app: ElectronApplication; window: Page }> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), SWARMSCOPE_E2E: '1' }
  delete env.SWARMSCOPE_DB
  delete env.ELECTRON_RENDERER_URL
  const app = await _electron.launch({ executablePath: ELECTRON!, args: [ROOT, `--user-data-dir=${userData}`, ...args], env })
  const window = await app.firstWindow()
  await window.waitForLoadState('load')
  return { app, window }
}

export const test = base.extend<{ desktop: Desktop }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a test uses from this pattern
  desktop: async ({}, use) => {
    test.skip(!ELECTRON, SKIP_REASON)
    test.skip(!hasDisplay, 'no display for Electron (run under xvfb-run)')
    ensureBuilt()
    const userData = mkdtempSync(join(tmpdir(), 'swarmscope-electron-'))
    let current = await launchApp(userData)
    const desktop: Desktop = {
      ...current,
      userData,
      async relaunch(args = []) {
        await current.app.close()
        current = await launchApp(userData, args)
        return current
      },
    }
    await use(desktop)
    await current.app.close().catch(() => undefined)
    rmSync(userData, { recursive: true, force: true })
  },
})
export { expect }

/** Calls a route from the page, through the preload's window.api, as the UI does. */
export function callFromPage<T>(window: Page, route: string, input: unknown): Promise<{ ok: boolean; data: T; error?: { code: string; message: string } }> {
  return window.evaluate(([r, i]) => (globalThis as unknown as { api: { call(r: string, i: unknown): Promise<never> } }).api.call(r, i), [route, input] as const)
}
