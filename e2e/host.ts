import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect } from '@playwright/test'

const ROOT = new URL('..', import.meta.url).pathname

export interface RunningHost {
  url: string
  token: string
  dbPath: string
}

/** Starts the real `swarmscope serve` on a free port with a fresh database, as a user would. */
export async function startHost(): Promise<{ host: RunningHost; proc: ChildProcess; dir: string }> {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) throw new Error('the renderer is not built: run `npm run build` (npm test does it)')
  const dir = mkdtempSync(join(tmpdir(), 'swarmscope-e2e-'))
  const dbPath = join(dir, 'e2e.db')
  const token = 'e2e-' + Math.random().toString(36).slice(2)
  const proc = spawn(process.execPath, [join(ROOT, 'bin/swarmscope.mjs'), 'serve', '--port', '0', '--no-open', '--db', dbPath], {
    env: { ...process.env, SWARMSCOPE_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`host did not start: ${out}`)), 30_000)
    proc.stdout!.on('data', (d) => {
      out += String(d)
      const m = /running at (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    proc.stderr!.on('data', (d) => (out += String(d)))
    proc.on('exit', (code) => reject(new Error(`host exited with ${code}: ${out}`)))
  })
  return { host: { url, token, dbPath }, proc, dir }
}

export const test = base.extend<{ host: RunningHost }>({
  host: async ({ page }, use) => {
    const { host, proc, dir } = await startHost()
    // Any console error or uncaught exception on the page fails the test.
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    page.on('pageerror', (e) => errors.push(e.message))
    await use(host)
    proc.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
    expect(errors, 'console errors on the page').toEqual([])
  },
})
export { expect }
