import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import puppeteer, { type Page } from 'puppeteer-core'
import { findChromium } from '../../src/core/platform/chromium'

const BIN = new URL('../../bin/swarmscope.mjs', import.meta.url).pathname

/** The real CLI, as a user runs it. */
export function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

export function cliOk(args: string[], env: Record<string, string> = {}) {
  const r = cli(args, env)
  if (r.code !== 0) throw new Error(`swarmscope ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
  return r
}

/** One Chromium page for a group of checks (the same Chromium the reports use). */
export async function withPage<T>(work: (page: Page) => Promise<T>): Promise<T> {
  const executablePath = findChromium()
  if (!executablePath) throw new Error('Chromium is needed for these tests (apt-get install chromium, or SWARMSCOPE_CHROME)')
  const profile = mkdtempSync(join(tmpdir(), 'swarmscope-test-chromium-'))
  const browser = await puppeteer.launch({ executablePath, headless: true, userDataDir: profile, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] })
  try {
    return await work(await browser.newPage())
  } finally {
    await browser.close()
    rmSync(profile, { recursive: true, force: true })
  }
}

/** Share of inked pixels (visibly darker than white) in a PGM (P5) image, as `pdftoppm -gray` writes it. */
export function inkShare(pgmPath: string): number {
  const buf = readFileSync(pgmPath)
  // Header: "P5\n<w> <h>\n<max>\n" (comments are not written by pdftoppm).
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 64).toString('latin1'))
  if (!header) throw new Error(`${pgmPath} is not a binary PGM`)
  const [w, h] = [Number(header[1]), Number(header[2])]
  const pixels = buf.subarray(header[0].length, header[0].length + w * h)
  let dark = 0
  for (const p of pixels) if (p < 200) dark++
  return dark / (w * h)
}

/** Text without line breaks or repeated spaces, as a PDF's text layer wraps freely. */
export const flat = (s: string) => s.replace(/\s+/g, ' ')
