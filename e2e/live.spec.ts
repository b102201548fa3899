/// <reference lib="dom" />
import { expect, test } from './host'
import { screenshots } from './ui-helpers'

// Claude Code hook payloads posted to the host, as `swarmscope hook` does during a session.
function hooks(session: string, from: number, n: number) {
  const out = []
  for (let i = 0; i < n; i++) {
    const ts = from + i * 200
    out.push({ ts, hook: { hook_event_name: 'PreToolUse', session_id: session, cwd: '/work/demo', tool_name: i % 2 ? 'Read' : 'Bash', tool_use_id: `tu-${from}-${i}` } })
    out.push({ ts: ts + 120, hook: { hook_event_name: i === 3 ? 'PostToolUseFailure' : 'PostToolUse', session_id: session, cwd: '/work/demo', tool_name: i % 2 ? 'Read' : 'Bash', tool_use_id: `tu-${from}-${i}` } })
  }
  return out
}

test('the live monitor shows a session being collected, its records and the sources', async ({ page, host }) => {
  await page.goto(`${host.url}#/live`)
  await expect(page.getByTestId('live-empty')).toBeVisible()
  const post = (deliveries: unknown[]) =>
    page.request.post(`${new URL(host.url).origin}/api/v1/live/hooks`, { headers: { 'x-swarmscope-token': host.token }, data: { deliveries } })
  let sent = 0
  for (let round = 0; round < 3; round++) {
    const batch = hooks('live-1', Date.now(), 5)
    const res = await post(batch)
    expect(res.ok()).toBe(true)
    expect((await res.json()).data.accepted).toBe(batch.length)
    sent += batch.length
    await page.waitForTimeout(400)
  }
  const row = page.locator('[data-testid="live-runs"] [data-run-id="cc-live-1"]')
  await expect(row).toBeVisible({ timeout: 10_000 })
  await expect(page.getByTestId('live-runs')).toContainText('demo')
  await expect(page.getByTestId('live-runs')).toContainText('hooks')
  // Every hook delivery became records (a run, an event per hook, and tool spans): at least one per delivery.
  await expect.poll(async () => Number((await row.locator('td').nth(2).textContent())!.replace(/,/g, '')), { timeout: 10_000 }).toBeGreaterThanOrEqual(sent)
  await expect(page.getByTestId('live-sources')).toContainText('Claude Code hooks')
  await expect(page.getByTestId('live-runs').locator('tbody tr')).toHaveCount(1)
  // One tool call failed: the run's error count says so once its totals are read.
  await expect(page.getByTestId('live-runs').locator('td').nth(5)).toHaveText(/[1-9]/, { timeout: 10_000 })
  await expect(page.getByTestId('live-tile-runs')).toHaveText('1')
  await expect.poll(async () => Number(await page.getByTestId('live-tile-events').textContent()), { timeout: 10_000 }).toBeGreaterThanOrEqual(0)
  await screenshots(page, 'live')
})

test('the live monitor reads the totals of every run being collected, not the first few', async ({ page, host }) => {
  await page.goto(`${host.url}#/live`)
  await expect(page.getByTestId('live-empty')).toBeVisible()
  // Ten sessions at once (a swarm): each has one failed tool call among its five.
  const sessions = Array.from({ length: 10 }, (_, i) => `swarm-${i}`)
  const deliveries = sessions.flatMap((s, i) => hooks(s, Date.now() + i, 5))
  const res = await page.request.post(`${new URL(host.url).origin}/api/v1/live/hooks`, { headers: { 'x-swarmscope-token': host.token }, data: { deliveries } })
  expect(res.ok()).toBe(true)
  const rows = page.getByTestId('live-runs').locator('tbody tr')
  await expect(rows).toHaveCount(10, { timeout: 10_000 })
  // The errors column of every row: read from the runs' stored totals.
  await expect.poll(async () => (await rows.locator('td:nth-child(6)').allTextContents()).filter((t) => /^[1-9]/.test(t.trim())).length, { timeout: 10_000 }).toBe(10)
})
