/// <reference lib="dom" />
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { Page } from '@playwright/test'
import { expect } from './host'

// Helpers for the UI specs: drop files as a user would, switch themes, wait for charts.

export interface DropItem {
  name: string
  text: string
}

export const fromDisk = (paths: string[]): DropItem[] => paths.map((p) => ({ name: basename(p), text: readFileSync(p, 'utf8') }))

/** Dispatches a real `drop` event whose DataTransfer carries the given files. */
export async function drop(page: Page, items: DropItem[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer()
    for (const { name, text } of files) dt.items.add(new File([text], name, { type: 'application/x-ndjson' }))
    return dt
  }, items)
  await page.dispatchEvent('[data-testid="app"]', 'dragover', { dataTransfer })
  await page.dispatchEvent('[data-testid="app"]', 'drop', { dataTransfer })
}

/** Drops files and waits until the import summary says how many runs came in. */
export async function importItems(page: Page, items: DropItem[], runs: number): Promise<void> {
  await drop(page, items)
  await expect(page.getByTestId('import-result').first()).toContainText(`Imported ${runs} run${runs === 1 ? '' : 's'}`, { timeout: 30_000 })
}

/**
 * Waits until every chart inside `scope` has finished drawing. Dashboard widgets draw once they
 * are scrolled into view: each one still waiting is brought into view until it has drawn, then
 * the scroll positions are put back (for screenshots of the top of the page). Charts can be
 * asked to draw again after they drew (the dashboard's analysis arrives after its first charts
 * and adds its marks), so "none waiting" must hold once the analysis is in, and for a moment.
 */
export async function chartsReady(page: Page, scope = 'body'): Promise<void> {
  const undrawn = page.locator(`${scope} .chart[data-ready="0"]`)
  const panes = '.run-main, .screen, .side-panel'
  const tops = await page.evaluate((sel) => [...document.querySelectorAll(sel)].map((e) => e.scrollTop), panes)
  const deadline = Date.now() + 40_000
  let quietSince: number | null = null
  while (Date.now() < deadline) {
    const next = await undrawn.first().elementHandle({ timeout: 100 }).catch(() => null)
    // A dashboard asks for its analysis once its first charts have drawn, and the analysis redraws
    // them (its marks): until it is in, none waiting means nothing yet.
    if (!next && (await page.getByTestId('insights-loading').count()) > 0) {
      quietSince = null
      await page.waitForTimeout(100)
      continue
    }
    if (!next) {
      quietSince ??= Date.now()
      if (Date.now() - quietSince >= 500) break
      await page.waitForTimeout(100)
      continue
    }
    quietSince = null
    await next.scrollIntoViewIfNeeded().catch(() => {}) // it may have drawn and been replaced meanwhile
    await page.waitForFunction((el) => !el.isConnected || (el as HTMLElement).dataset.ready !== '0', next, { timeout: 20_000 })
  }
  await expect(undrawn).toHaveCount(0, { timeout: 1_000 })
  await page.evaluate(({ sel, tops }) => document.querySelectorAll(sel).forEach((e, i) => (e.scrollTop = tops[i] ?? 0)), { sel: panes, tops })
}

/** Screenshots in light and dark (the app follows the system theme by default). */
export async function screenshots(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.querySelectorAll('.run-main, .screen, .side-panel').forEach((e) => (e.scrollTop = 0)))
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await expect(page.locator('html')).toHaveAttribute('data-theme', scheme)
    await chartsReady(page)
    await page.screenshot({ path: `e2e/artifacts/${name}-${scheme}.png` })
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
