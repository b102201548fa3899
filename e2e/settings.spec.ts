/// <reference lib="dom" />
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { expect, test } from './host'
import { chartsReady, importItems } from './ui-helpers'
import { generateSwarm } from '../test/helpers/generated-swarm'

test('settings: theme and colour scheme apply at once and persist; data directory, sampling and prices are shown', async ({ page, host }) => {
  await page.goto(host.url)
  await importItems(page, [{ name: 's.ndjson', text: generateSwarm({ runId: 'set-run', seed: 3, subagents: 1, callsPerAgent: 6 }).ndjson }], 1)
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('db-path')).toHaveText(host.dbPath)
  await expect(page.getByTestId('pricing')).toContainText('claude-sonnet-4-5')

  await page.getByTestId('theme-dark').check()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await page.getByTestId('scheme-okabe-ito').check()
  await page.screenshot({ path: 'e2e/artifacts/settings-dark.png' })
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect(page.getByTestId('scheme-okabe-ito')).toBeChecked()

  // Charts take the colour-blind safe palette: Okabe–Ito's blue is the first series colour.
  await page.goto(`${host.url}#/run/set-run`)
  await chartsReady(page)
  await page.screenshot({ path: 'e2e/artifacts/dashboard-okabe-ito-dark.png' })
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('theme-light').check()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await page.screenshot({ path: 'e2e/artifacts/settings-light.png' })

  // Keyboard: g then r goes to the runs; ? lists the shortcuts.
  await page.keyboard.press('g')
  await page.keyboard.press('r')
  await expect(page.getByTestId('runs-table')).toBeVisible()
  await page.keyboard.press('?')
  await expect(page.getByTestId('shortcut-help')).toContainText('Compare the selected runs')
})

test('settings: the content policy is chosen, saved to config.json, and recorded by the next import', async ({ page, host }) => {
  const configFile = join(dirname(host.dbPath), 'config.json')
  const onDisk = () => (JSON.parse(readFileSync(configFile, 'utf8')) as { privacy?: { contentPolicy?: string } }).privacy?.contentPolicy
  await page.goto(host.url)
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('content-policy-none')).toBeChecked()
  await expect(page.getByTestId('content-policy-warning')).toHaveCount(0)

  // Full text is labelled for what it is before and after it is chosen.
  await expect(page.getByTestId('content-policy')).toContainText('stores prompts, answers, tool calls and code exactly as read')
  await page.getByTestId('content-policy-full').check()
  await expect(page.getByTestId('content-policy-saved')).toContainText(configFile)
  await expect(page.getByTestId('content-policy-warning')).toContainText('prompts and source code unredacted')
  expect(onDisk()).toBe('full')

  await page.getByTestId('content-policy-redacted').check()
  await expect(page.getByTestId('content-policy-redacted')).toBeChecked()
  await expect.poll(onDisk).toBe('redacted')
  await page.reload()
  await expect(page.getByTestId('content-policy-redacted')).toBeChecked()

  // MCP answers under pseudonyms: one tick, saved at once (the host reads it at each request).
  await page.getByTestId('anonymize-mcp').check()
  await expect.poll(() => (JSON.parse(readFileSync(configFile, 'utf8')) as { privacy: { anonymizeMcp: boolean } }).privacy.anonymizeMcp).toBe(true)
  await page.reload()
  await expect(page.getByTestId('anonymize-mcp')).toBeChecked()

  // A dropped file is imported under the policy in force, and its run says so.
  await importItems(page, [{ name: 'p.ndjson', text: generateSwarm({ runId: 'policy-run', seed: 4, subagents: 1, callsPerAgent: 4 }).ndjson }], 1)
  await page.goto(`${host.url}#/run/policy-run`)
  await expect(page.getByTestId('run-content-policy')).toHaveText('content kept: redacted')
})
