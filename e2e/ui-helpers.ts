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
  await expect(page.getByTestId('import-result')).toContainText(`Imported ${runs} run${runs === 1 ? '' : 's'}`, { timeout: 30_000 })
}

/** Waits until every chart inside `scope` has finished drawing. */
export async function chartsReady(page: Page, scope = 'body'): Promise<void> {
  await expect(page.locator(`${scope} .chart[data-ready="0"]`)).toHaveCount(0, { timeout: 20_000 })
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
