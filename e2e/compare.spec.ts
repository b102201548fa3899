/// <reference lib="dom" />
import { generateSwarm } from '../test/helpers/generated-swarm'
import { expect, test } from './host'
import { chartsReady, importItems, screenshots } from './ui-helpers'

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
// Same work; the candidate's LLM calls take 60 % longer (a planted regression).
const base = generateSwarm({ runId: 'cmp-base', name: 'before', seed: 31, subagents: 2, callsPerAgent: 25 })
const slow = generateSwarm({ runId: 'cmp-slow', name: 'after (slower)', seed: 32, subagents: 2, callsPerAgent: 25, latencyFactor: 1.6 })
const groupA = [40, 41, 42].map((s) => generateSwarm({ runId: `ga-${s}`, name: `nightly A ${s}`, seed: s, subagents: 1, callsPerAgent: 8 }))
const groupB = [50, 51, 52].map((s) => generateSwarm({ runId: `gb-${s}`, name: `nightly B ${s}`, seed: s, subagents: 1, callsPerAgent: 8, latencyFactor: 1.8 }))

test('compare two runs: change %, verdicts, matrix, distributions, differences, ranking weights, baseline switch', async ({ page, host }) => {
  await page.goto(host.url)
  await importItems(page, [base, slow].map((r) => ({ name: `${r.facts.runId}.ndjson`, text: r.ndjson })), 2)
  await page.goto(`${host.url}#/compare?b=cmp-base&c=cmp-slow`)
  const cell = page.getByTestId('cmp-0-llm_latency_ms')
  await expect(cell).toHaveAttribute('data-verdict', 'regressed', { timeout: 20_000 })
  const expected = ((mean(slow.facts.llmLatencies) - mean(base.facts.llmLatencies)) / mean(base.facts.llmLatencies)) * 100
  expect(Number(await cell.getAttribute('data-change'))).toBeCloseTo(expected, 6)
  await expect(cell.locator('.change')).toHaveText(`+${expected.toFixed(1)} %`)
  await expect(cell.locator('.badge')).toHaveText('regressed')
  await expect(page.getByTestId('cmp-base-llm_latency_ms')).toHaveAttribute('data-value', String(mean(base.facts.llmLatencies)))
  for (const id of ['chart-compare-matrix', 'chart-compare-distributions', 'chart-compare-differential', 'chart-compare-ranking']) await expect(page.getByTestId(id).locator('canvas').first()).toBeVisible()
  await chartsReady(page)

  // Weights: all weight on latency makes the slower candidate lose.
  for (const c of ['cost', 'tokens', 'errorRate', 'throughput']) await page.getByTestId(`weight-${c}`).fill('0')
  await page.getByTestId('weight-latency').fill('1')
  await expect(page.getByTestId('ranking').locator('li').first()).toHaveAttribute('data-preferred', 'baseline')
  expect(Number(await page.getByTestId('ranking').locator('li').first().getAttribute('data-score'))).toBeLessThan(0)
  await screenshots(page, 'compare')

  // The candidate as baseline: the same change, seen the other way round, is an improvement.
  await page.getByRole('button', { name: 'make baseline' }).click()
  await expect(page).toHaveURL(/b=cmp-slow&c=cmp-base/)
  await expect(page.getByTestId('cmp-0-llm_latency_ms')).toHaveAttribute('data-verdict', 'improved')
})

test('compare two groups made in the library', async ({ page, host }) => {
  await page.goto(host.url)
  await importItems(page, [...groupA, ...groupB].map((r) => ({ name: `${r.facts.runId}.ndjson`, text: r.ndjson })), 6)
  await page.getByTestId('nav-library').click()
  for (const [prefix, group] of [['ga-', 'A'], ['gb-', 'B']]) {
    await page.getByTestId('runs-search').fill(`nightly ${group}`)
    await page.getByRole('checkbox', { name: 'Select all shown runs' }).check()
    await page.getByTestId('tag-selected').click()
    await page.getByTestId('group-input').fill(group)
    await page.getByRole('button', { name: 'Save' }).click()
    await expect(page.locator(`[data-run-id^="${prefix}"] .c3`).first()).toHaveText(group)
    await page.getByRole('button', { name: 'Clear' }).click()
  }
  await page.getByTestId('runs-search').fill('')
  await page.getByTestId('nav-compare').click()
  await page.getByTestId('ref-0').selectOption('group:A')
  await page.getByTestId('ref-1').selectOption('group:B')
  await expect(page).toHaveURL(/b=group%3AA&c=group%3AB/)
  const cell = page.getByTestId('cmp-0-llm_latency_ms')
  await expect(cell).toHaveAttribute('data-verdict', /regressed|insufficient-data|no-significant-change/, { timeout: 20_000 })
  // Three runs a side: the badge says so rather than claiming a change it cannot show.
  await expect(page.getByTestId('cmp-base-llm_latency_ms')).toContainText('n=3')
  await chartsReady(page)
})
