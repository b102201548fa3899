/// <reference lib="dom" />
import { duration, exact, usd } from '../src/shared/format'
import { generateSwarm } from '../test/helpers/generated-swarm'
import { expect, test } from './host'
import { chartsReady, importItems, screenshots } from './ui-helpers'

const swarm = generateSwarm({ runId: 'gen-timeline', name: 'timeline swarm', seed: 11, subagents: 3, callsPerAgent: 25, errorEvery: 9 })
const f = swarm.facts
const spans = new Map(swarm.ndjson.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.type === 'span').map((r) => [r.id as string, r]))

const focusId = [...spans.values()].filter((s) => s.kind === 'llm')[3].id as string

test('the agent timeline: every span accounted for, zoom, depth, span details matching the file', async ({ page, host }) => {
  await page.goto(host.url)
  await importItems(page, [{ name: 'timeline.ndjson', text: swarm.ndjson }], 1)
  await page.getByTestId('tab-timeline').click()
  const timeline = page.getByTestId('timeline')
  // The whole run: every span is drawn one by one or counted in a per-pixel bucket.
  await expect(timeline).toHaveAttribute('data-spans-total', String(f.llmCalls + f.toolCalls + f.agents))
  await chartsReady(page)
  await expect(page.getByTestId('timeline-stats')).toContainText('spans drawn one by one')

  // Only agents.
  await page.getByTestId('timeline-depth').selectOption('0')
  await expect(timeline).toHaveAttribute('data-spans-total', String(f.agents))
  await page.getByTestId('timeline-depth').selectOption('2')
  await expect(timeline).toHaveAttribute('data-spans-total', String(f.llmCalls + f.toolCalls + f.agents))

  // Zooming in asks the core for a narrower window: fewer spans overlap it.
  await page.getByTestId('zoom-in').click()
  await page.getByTestId('zoom-in').click()
  await page.getByTestId('zoom-in').click()
  await expect.poll(async () => Number(await timeline.getAttribute('data-spans-total')), { timeout: 10_000 }).toBeLessThan(f.llmCalls + f.toolCalls + f.agents)
  await page.keyboard.press('0')
  await expect(timeline).toHaveAttribute('data-spans-total', String(f.llmCalls + f.toolCalls + f.agents))

  // The critical path can be highlighted once the analysis is in.
  await expect(page.getByTestId('critical-only')).toBeEnabled({ timeout: 30_000 })
  await page.getByTestId('critical-only').check()
  await chartsReady(page)
  await screenshots(page, 'timeline')
  await page.getByTestId('critical-only').uncheck()

  // Opened around one LLM call (as from an anomaly), then clicked: its details are the file's numbers.
  await page.goto(`${host.url}#/run/gen-timeline/timeline?span=${focusId}`)
  await expect(page.getByTestId('span-details')).toBeVisible()
  await chartsReady(page)
  const box = (await page.getByTestId('chart-timeline').boundingBox())!
  await page.getByTestId('span-details').getByRole('button', { name: 'Close details' }).click()
  // Click down the middle of the chart, row by row, as a person looking for a span would.
  for (let y = box.y + box.height * 0.3; y < box.y + box.height - 50; y += 6) {
    await page.mouse.click(box.x + box.width * 0.48, y)
    if (await page.getByTestId('span-details').isVisible()) break
  }
  const details = page.getByTestId('span-details')
  await expect(details).toBeVisible()
  const id = (await details.locator('p.small').textContent())!
  const s = spans.get(id)!
  expect(s, `clicked span ${id} is in the file`).toBeTruthy()
  const field = (k: string) => details.locator(`tr[data-field="${k}"] td`)
  await expect(field('Duration')).toHaveText(duration((s.end as number) - (s.start as number)))
  if (s.kind === 'llm') {
    await expect(field('Model')).toHaveText(s.model as string)
    await expect(field('Input tokens')).toHaveText(exact(s.inputTokens as number))
    await expect(field('Cache read tokens')).toHaveText(exact(s.cacheReadTokens as number))
    await expect(field('Cost')).toHaveText(usd(s.costUsd as number))
  } else if (s.kind === 'tool') {
    await expect(field('Tool input size')).toHaveText(`${exact((s.attrs as { inputBytes: number }).inputBytes)} B`)
    await expect(field('Status')).toHaveText(s.status as string)
  }
  await page.screenshot({ path: 'e2e/artifacts/timeline-span-details.png' })
})
