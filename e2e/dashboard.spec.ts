/// <reference lib="dom" />
import type { Locator, Page } from '@playwright/test'
import { duration } from '../src/shared/format'
import { generateSwarm, percentile } from '../test/helpers/generated-swarm'
import { SHOWCASE_MAIN, SHOWCASE_SUB, sessionFacts } from '../test/helpers/transcript-facts'
import { expect, test } from './host'
import { chartsReady, fmt, fromDisk, importItems, screenshots } from './ui-helpers'

const swarm = generateSwarm({ runId: 'gen-dash', name: 'dashboard swarm', seed: 7, subagents: 4, callsPerAgent: 30, errorEvery: 17 })
const f = swarm.facts
const CHARTS = ['tokens-over-time', 'latency-over-time', 'cumulative-cost', 'tokens-per-agent', 'tool-calls', 'latency-vs-tokens', 'cost-by-model', 'latency-histogram', 'agent-activity', 'efficiency']

/** Opens a widget's data view and returns its rows as text cells keyed by the first column. */
async function widgetRows(page: Page, widget: string): Promise<Map<string, string[]>> {
  const w = page.getByTestId(`widget-${widget}`)
  await w.hover()
  await w.getByTestId('widget-data').click()
  const rows = await w.getByTestId('widget-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')))
  await w.getByTestId('widget-data').click()
  return new Map(rows.map((r) => [r[0], r.slice(1)]))
}
const money = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 6 })

async function order(grid: Locator) {
  return grid.locator('[data-widget-id]').evaluateAll((ws) => ws.map((w) => w.getAttribute('data-testid')))
}

test('the run dashboard of a generated swarm: figures, all eight chart types, layout that persists', async ({ page, host }) => {
  await page.goto(host.url)
  await importItems(page, [{ name: 'dash.ndjson', text: swarm.ndjson }], 1)
  await expect(page.getByTestId('run-title')).toHaveText('dashboard swarm')
  for (const [id, v] of [['llm-calls', f.llmCalls], ['tool-calls', f.toolCalls], ['agents', f.agents], ['errors', f.errors], ['input-tokens', f.inputTokens], ['output-tokens', f.outputTokens], ['cache-read-tokens', f.cacheReadTokens], ['cache-creation-tokens', f.cacheCreationTokens]] as const) {
    await expect(page.getByTestId(`kpi-${id}`)).toHaveAttribute('data-value', String(v))
    await expect(page.getByTestId(`kpi-${id}`).locator('.kpi-value')).toHaveText(fmt(v))
  }
  expect(Number(await page.getByTestId('kpi-cost').getAttribute('data-value'))).toBeCloseTo(f.costUsd, 6)
  await expect(page.getByTestId('kpi-duration')).toHaveAttribute('data-value', String(f.endMs - f.startMs))

  // Line, area, bar, scatter, pie, histogram, heatmap and gauge: each drew on a canvas. Widgets
  // below the fold wait to be scrolled into view: the last ones have not drawn yet.
  await expect(page.getByTestId('chart-agent-activity')).toHaveAttribute('data-ready', '0')
  await expect(page.getByTestId('chart-agent-activity').locator('canvas')).toHaveCount(0)
  for (const chart of CHARTS) {
    await page.getByTestId(`chart-${chart}`).scrollIntoViewIfNeeded()
    await expect(page.getByTestId(`chart-${chart}`).locator('canvas').first()).toBeVisible()
  }
  await chartsReady(page)

  // The numbers behind the charts, against the generator's own sums.
  const lat = f.llmLatencies
  await expect(page.getByTestId('latency-percentiles')).toHaveText(
    `${fmt(lat.length)} calls · p50 ${duration(Math.round(percentile(lat, 0.5)))} · p90 ${duration(Math.round(percentile(lat, 0.9)))} · p95 ${duration(Math.round(percentile(lat, 0.95)))} · p99 ${duration(Math.round(percentile(lat, 0.99)))}`,
  )
  const models = await widgetRows(page, 'cost-by-model')
  for (const [model, m] of Object.entries(f.perModel)) {
    expect(models.get(model)?.[0]).toBe(fmt(m.llmCalls))
    expect(Number(models.get(model)?.[2].replace(/,/g, ''))).toBeCloseTo(m.costUsd, 5)
  }
  const tools = await widgetRows(page, 'tool-calls')
  for (const [tool, t] of Object.entries(f.perTool)) expect(tools.get(tool)?.slice(0, 2)).toEqual([fmt(t.count), fmt(t.errors)])
  const agents = await widgetRows(page, 'tokens-per-agent')
  expect(agents.size).toBe(f.agents)
  expect(Number(agents.get('main')?.[4].replace(/,/g, ''))).toBeCloseTo(f.perAgent.main.costUsd, 5)
  void money

  // Insights and anomalies arrive from the analysis and are listed with their evidence.
  await expect(page.getByTestId('insights-panel')).toBeVisible({ timeout: 30_000 })
  const firstInsight = page.getByTestId('insight').first()
  await firstInsight.locator('summary').click()
  await expect(firstInsight.locator('table.evidence tr').first()).toBeVisible()
  await screenshots(page, 'dashboard')

  // Insights are also drawn on the charts. The costliest model's slice stands out with its insight's
  // rank; clicking it (at six o'clock: the slice holds most of the cost) opens that insight.
  const modelInsight = page.locator('[data-testid="insight"][data-kind="cost-share-model"]')
  const topModel = Object.entries(f.perModel).sort((a, b) => b[1].costUsd - a[1].costUsd)[0][0]
  await expect(modelInsight.locator('summary')).toContainText(topModel)
  await expect(modelInsight.locator('details')).not.toHaveAttribute('open')
  await chartsReady(page)
  const pie = (await page.getByTestId('chart-cost-by-model').boundingBox())!
  await page.mouse.click(pie.x + pie.width / 2, pie.y + pie.height * 0.44 + 0.245 * Math.min(pie.width, pie.height))
  await expect(modelInsight.locator('details')).toHaveAttribute('open', '')
  // Its evidence names the model's costliest calls; each opens in the timeline with its details.
  const evidence = modelInsight.getByTestId('insight-spans').locator('a')
  await expect(evidence).toHaveCount(3)
  await evidence.first().click()
  await expect(page.getByTestId('span-details')).toBeVisible()
  await expect(page.getByTestId('span-details').locator('tr[data-field="Model"] td')).toHaveText(topModel)
  await page.goBack()

  // Layout: remove a widget, widen another, move one; the layout survives a reload.
  const grid = page.getByTestId('widget-grid')
  await page.getByTestId('widget-agent-activity').hover()
  await page.getByTestId('widget-agent-activity').getByTestId('widget-remove').click()
  await expect(page.getByTestId('widget-agent-activity')).toHaveCount(0)
  await page.getByTestId('widget-tool-calls').hover()
  await page.getByTestId('widget-tool-calls').getByTestId('widget-wider').click()
  await expect(page.getByTestId('widget-tool-calls')).toHaveAttribute('data-w', '8')
  await page.getByTestId('widget-cost-by-model').hover()
  await page.getByTestId('widget-cost-by-model').getByRole('button', { name: 'Move earlier' }).click()
  const before = await order(grid)
  expect(before.indexOf('widget-cost-by-model')).toBeLessThan(before.indexOf('widget-cumulative-cost'))
  await page.reload()
  await expect(page.getByTestId('widget-tool-calls')).toHaveAttribute('data-w', '8')
  await expect(page.getByTestId('widget-agent-activity')).toHaveCount(0)
  expect(await order(grid)).toEqual(before)
  await page.getByTestId('add-widget').selectOption('agent-activity')
  await page.getByTestId('chart-agent-activity').scrollIntoViewIfNeeded()
  await expect(page.getByTestId('chart-agent-activity').locator('canvas').first()).toBeVisible()
  // localStorage holds the layout only: no run data.
  const stored = await page.evaluate(() => JSON.stringify(localStorage))
  expect(stored).not.toContain('gen-dash')
  expect(stored).not.toContain(String(f.inputTokens))
})

test('the dashboard of a real Claude Code session with a subagent lists each agent', async ({ page, host }) => {
  await page.goto(host.url)
  await importItems(page, fromDisk([SHOWCASE_MAIN, SHOWCASE_SUB]), 1)
  const facts = sessionFacts([SHOWCASE_MAIN, SHOWCASE_SUB]).get('55550000-0000-4000-8000-000000000001')!
  await expect(page.getByTestId('kpi-llm-calls')).toHaveAttribute('data-value', String(facts.llmCalls))
  await expect(page.locator('[data-agent-id="showcol1"] td').nth(3)).toHaveText(fmt(facts.perAgentLlmCalls.showcol1))
  await chartsReady(page)
  await screenshots(page, 'dashboard-claude-code')
})
