/// <reference lib="dom" />
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
