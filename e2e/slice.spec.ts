/// <reference lib="dom" />
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { Page } from '@playwright/test'
import { SHOWCASE_MAIN, SHOWCASE_SUB, SIDECHAIN, sessionFacts } from '../test/helpers/transcript-facts'
import { expect, test } from './host'

/** Dispatches a real `drop` event whose DataTransfer carries the given files. */
async function dropFiles(page: Page, files: string[]) {
  const payload = files.map((f) => ({ name: basename(f), text: readFileSync(f, 'utf8') }))
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer()
    for (const { name, text } of items) dt.items.add(new File([text], name, { type: 'application/x-ndjson' }))
    return dt
  }, payload)
  await page.dispatchEvent('[data-testid="app"]', 'dragover', { dataTransfer })
  await page.dispatchEvent('[data-testid="app"]', 'drop', { dataTransfer })
}

const fmt = (n: number) => n.toLocaleString('en-US')

async function expectKpi(page: Page, id: string, value: number) {
  const tile = page.getByTestId(`kpi-${id}`)
  await expect(tile).toHaveAttribute('data-value', String(value))
  await expect(tile.locator('.kpi-value')).toHaveText(fmt(value))
}

test('a dropped Claude Code transcript becomes a run whose numbers match the file', async ({ page, host }) => {
  await page.goto(host.url)
  await expect(page.getByTestId('empty-state')).toContainText('Drop a Claude Code transcript')

  await dropFiles(page, [SIDECHAIN])
  const f = sessionFacts([SIDECHAIN]).get('88a8d761-7b9a-4bf1-a8ca-c1febe6bf358')!
  await expect(page.getByTestId('import-result').first()).toContainText('Imported 1 run')
  await expect(page.getByTestId('run-title')).toContainText('88a8d761')
  await expect(page.getByTestId('kpi-duration')).toHaveAttribute('data-value', String(f.durationMs))
  await expectKpi(page, 'llm-calls', f.llmCalls)
  await expectKpi(page, 'tool-calls', f.toolCalls)
  await expectKpi(page, 'agents', f.agents)
  await expectKpi(page, 'input-tokens', f.inputTokens)
  await expectKpi(page, 'output-tokens', f.outputTokens)
  await expectKpi(page, 'cache-creation-tokens', f.cacheCreationTokens)
  await expectKpi(page, 'cache-read-tokens', f.cacheReadTokens)
  // Both charts drew on their canvases (a widget below the fold once scrolled into view).
  for (const chart of ['chart-tokens-over-time', 'chart-tokens-per-agent']) {
    await page.getByTestId(chart).scrollIntoViewIfNeeded()
    await expect(page.getByTestId(chart).locator('canvas')).toHaveCount(1)
  }
  await page.screenshot({ path: 'e2e/artifacts/slice-run-overview.png', fullPage: true })
})

test('a session and its subagent file dropped together form one run with the subagent under main', async ({ page, host }) => {
  await page.goto(host.url)
  await dropFiles(page, [SHOWCASE_MAIN, SHOWCASE_SUB])
  const f = sessionFacts([SHOWCASE_MAIN, SHOWCASE_SUB]).get('55550000-0000-4000-8000-000000000001')!
  await expect(page.getByTestId('import-result').first()).toContainText('Imported 1 run')
  await expectKpi(page, 'agents', f.agents)
  await expectKpi(page, 'llm-calls', f.llmCalls)
  await expectKpi(page, 'input-tokens', f.inputTokens)
  const sub = page.locator('[data-agent-id="showcol1"]')
  await expect(sub).toContainText('main') // its parent
  await expect(sub.locator('td').nth(3)).toHaveText(fmt(f.perAgentLlmCalls.showcol1))
  // The runs list and the API agree after a reload: the data was stored, not just shown.
  await page.reload()
  await page.getByTestId('nav-library').click()
  await expect(page.locator('[data-run-id="cc-55550000-0000-4000-8000-000000000001"]')).toBeVisible()
  await page.screenshot({ path: 'e2e/artifacts/slice-subagents.png', fullPage: true })
})

test('a dropped file that is not a transcript is reported, not imported', async ({ page, host }) => {
  await page.goto(host.url)
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer()
    dt.items.add(new File(['hello, not a transcript'], 'notes.txt'))
    return dt
  })
  await page.dispatchEvent('[data-testid="app"]', 'drop', { dataTransfer })
  await expect(page.getByTestId('import-result').first()).toContainText('notes.txt — unknown format')
  await expect(page.getByTestId('empty-state')).toBeVisible()
})
