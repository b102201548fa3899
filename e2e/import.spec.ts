/// <reference lib="dom" />
import { rmSync } from 'node:fs'
import { test as base, expect } from '@playwright/test'
import Database from 'better-sqlite3'
import { generateSwarm } from '../test/helpers/generated-swarm'
import { startHost, type RunningHost } from './host'
import { drop, importItems, screenshots } from './ui-helpers'

// Like the shared host fixture, but a cancelled import's answer (HTTP 400 for the upload
// import) is expected here: the browser logs that status as a console error.
const test = base.extend<{ host: RunningHost }>({
  host: async ({ page }, use) => {
    const { host, proc, dir } = await startHost()
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && !/status of 40[09]/.test(m.text()) && errors.push(m.text()))
    page.on('pageerror', (e) => errors.push(e.message))
    await use(host)
    proc.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
    expect(errors, 'console errors on the page').toEqual([])
  },
})

test('bad lines are listed by file:line while the good ones import', async ({ page, host }) => {
  const lines = generateSwarm({ runId: 'imp-bad', seed: 5, subagents: 1, callsPerAgent: 3 }).ndjson.trim().split('\n')
  lines.splice(2, 0, '{not json')
  lines.splice(5, 0, '{"type":"span","id":"x"}')
  await page.goto(host.url)
  await importItems(page, [{ name: 'bad.ndjson', text: lines.join('\n') + '\n' }, { name: 'notes.txt', text: 'hello' }], 1)
  const skipped = page.getByTestId('import-skipped').first()
  await expect(skipped).toContainText('bad.ndjson:3')
  await expect(skipped).toContainText('bad.ndjson:6')
  await expect(skipped).toContainText('notes.txt — unknown format')
  await expect(page.getByTestId('import-result').first()).toContainText('skipped 3')
  await screenshots(page, 'import-skipped')
})

test('a big import shows bytes and lines as it goes, and Cancel leaves nothing behind', async ({ page, host }) => {
  const big = generateSwarm({ runId: 'imp-big', seed: 6, subagents: 20, callsPerAgent: 1500 }).ndjson
  const total = Buffer.byteLength(big)
  await page.goto(host.url)
  await drop(page, [{ name: 'big.ndjson', text: big }])
  const figures = page.getByTestId('import-figures')
  // Upload first, then the core reports bytes read of the whole and lines so far.
  await expect(figures).toContainText(`of ${(total / 1e6).toFixed(1)} MB`, { timeout: 30_000 })
  await expect(figures).toContainText(/\d+(\.\d)? k? ?lines/)
  await page.screenshot({ path: 'e2e/artifacts/import-progress.png' })
  await page.getByTestId('import-cancel').click()
  await expect(page.getByTestId('import-result').first()).toContainText('cancelled; nothing was changed', { timeout: 30_000 })
  await expect(page.getByTestId('empty-state')).toBeVisible()
})

test('a drop while another process writes to the store shows the wait, then imports', async ({ page, host }) => {
  await page.goto(host.url)
  // Another process (an import in a terminal) holds the store's write lock.
  const other = new Database(host.dbPath)
  other.exec('BEGIN IMMEDIATE')
  try {
    await drop(page, [{ name: 'waits.ndjson', text: generateSwarm({ runId: 'imp-wait', seed: 7, subagents: 1, callsPerAgent: 2 }).ndjson }])
    await expect(page.getByTestId('import-figures')).toContainText('waiting for another process writing to the store', { timeout: 30_000 })
    await page.screenshot({ path: 'e2e/artifacts/import-waiting.png' })
  } finally {
    other.exec('COMMIT')
    other.close()
  }
  await expect(page.getByTestId('import-result').first()).toContainText('Imported 1 run', { timeout: 30_000 })
})
