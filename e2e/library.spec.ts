/// <reference lib="dom" />
import { generateSwarm } from '../test/helpers/generated-swarm'
import { SIDECHAIN } from '../test/helpers/transcript-facts'
import { expect, test } from './host'
import { fromDisk, importItems, screenshots } from './ui-helpers'

// 3 generated runs in two groups, plus one real transcript.
const runs = [
  generateSwarm({ runId: 'lib-a', name: 'alpha refactor', seed: 1, subagents: 1, callsPerAgent: 4 }),
  generateSwarm({ runId: 'lib-b', name: 'beta refactor', seed: 2, subagents: 2, callsPerAgent: 4, errorEvery: 3 }),
  generateSwarm({ runId: 'lib-c', name: 'gamma docs', seed: 3, subagents: 1, callsPerAgent: 6 }),
]

test('the runs library: sort, filter, search, select, rename, group, delete, compare', async ({ page, host }) => {
  await page.goto(host.url)
  await expect(page.getByTestId('empty-state')).toContainText('Drop a Claude Code transcript')
  await importItems(page, runs.map((r, i) => ({ name: `run${i}.ndjson`, text: r.ndjson })), 3)
  await importItems(page, fromDisk([SIDECHAIN]), 1)
  await page.getByTestId('nav-library').click()
  await expect(page.getByTestId('runs-count')).toContainText('4 of 4 runs')

  // Sort by cost, most expensive first: the order of the generator's costs.
  await page.getByTestId('sort-costUsd').click()
  const names = () => page.locator('[data-run-id] .run-name').allTextContents()
  const byCost = [...runs.map((r) => r.facts)].sort((a, b) => b.costUsd - a.costUsd).map((f) => runs.find((r) => r.facts === f)!.ndjson.match(/"name":"([^"]+)"/)![1])
  expect((await names()).filter((n) => !n.startsWith('claude'))).toEqual(byCost.filter((n) => n !== undefined).filter((n) => (/refactor|docs/.test(n))))
  // Errors column shows each run's error count.
  await expect(page.locator('[data-run-id="lib-b"] .c9')).toHaveText(String(runs[1].facts.errors))

  // Search and source filter.
  await page.getByTestId('runs-search').fill('refactor')
  await expect(page.getByTestId('runs-count')).toContainText('2 of 4 runs')
  await page.getByTestId('runs-search').fill('')
  await page.getByTestId('filter-source').selectOption('generated')
  await expect(page.getByTestId('runs-count')).toContainText('3 of 4 runs')
  await page.getByTestId('filter-source').selectOption('')

  // Rename one run.
  await page.locator('[data-run-id="lib-c"] input[type=checkbox]').check()
  await page.getByTestId('rename-selected').click()
  await page.getByTestId('rename-input').fill('gamma documentation')
  await page.getByTestId('rename-input').press('Enter')
  await expect(page.locator('[data-run-id="lib-c"] .run-name')).toHaveText('gamma documentation')

  // Group two runs and tag them; filter by the group.
  await page.locator('[data-run-id="lib-a"] input[type=checkbox]').check()
  await page.getByTestId('tag-selected').click()
  await page.getByTestId('group-input').fill('nightly')
  await page.getByTestId('tags-input').fill('model=sonnet')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.locator('[data-run-id="lib-a"] .c3')).toHaveText('nightly')
  await expect(page.locator('[data-run-id="lib-c"] .c4')).toHaveText('model=sonnet')
  await page.getByTestId('filter-group').selectOption('nightly')
  await expect(page.getByTestId('runs-count')).toContainText('2 of 4 runs')
  await page.getByTestId('filter-group').selectOption('')
  await screenshots(page, 'library')

  // Compare the two selected runs: the earlier one is the baseline.
  await page.getByTestId('compare-selected').click()
  await expect(page).toHaveURL(/#\/compare\?b=lib-a&c=lib-c/)
  await expect(page.getByTestId('compare-table')).toBeVisible({ timeout: 20_000 })

  // Delete one run (keyboard: Delete on the selection).
  await page.getByTestId('nav-library').click()
  await page.getByTestId('selected-count').waitFor()
  await page.locator('[data-run-id="lib-a"] input[type=checkbox]').uncheck()
  await page.keyboard.press('Delete')
  await page.getByTestId('confirm-delete').click()
  await expect(page.locator('[data-run-id="lib-c"]')).toHaveCount(0)
  await expect(page.getByTestId('runs-count')).toContainText('3 of 3 runs')
})

test('the library stays windowed with 10 000 runs', async ({ page, host }) => {
  // 10 000 one-span runs in one NDJSON file.
  const lines = ['{"v":1,"type":"run","id":"bulk-0","name":"bulk 0"}']
  for (let i = 0; i < 10_000; i++) {
    lines.push(JSON.stringify({ type: 'run', id: `bulk-${i}`, name: `bulk ${i}` }))
    lines.push(JSON.stringify({ type: 'span', runId: `bulk-${i}`, id: 's', kind: 'llm', name: 'm', start: 1_767_000_000_000 + i * 1000, end: 1_767_000_000_500 + i * 1000, inputTokens: i, outputTokens: 1 }))
  }
  await page.goto(host.url)
  await importItems(page, [{ name: 'bulk.ndjson', text: lines.join('\n') + '\n' }], 10_000)
  await page.getByTestId('nav-library').click()
  await expect(page.getByTestId('runs-count')).toContainText('10,000 of 10,000 runs')
  // Only the rows in view are in the page.
  expect(await page.locator('[data-run-id]').count()).toBeLessThan(80)
  await page.getByTestId('runs-scroller').evaluate((el) => (el.scrollTop = el.scrollHeight))
  await expect(page.locator('[data-run-id="bulk-0"]')).toBeVisible()
  await page.getByTestId('runs-search').fill('bulk 9999')
  await expect(page.getByTestId('runs-count')).toContainText('1 of 10,000 runs')
})
