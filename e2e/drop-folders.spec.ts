/// <reference lib="dom" />
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect, type Page } from '@playwright/test'
import Database from 'better-sqlite3'
import { generateSwarm } from '../test/helpers/generated-swarm'
import { SIDECHAIN } from '../test/helpers/transcript-facts'
import { startHost, type RunningHost } from './host'

// Real files and folders dropped through Chromium's own drag and drop (the DevTools protocol
// hands it paths, as the OS would), so the page reads them with webkitGetAsEntry like a user's.

const FIXTURES = new URL('../../shared/fixtures/real/', import.meta.url).pathname

// A cancelled upload's PUT is aborted and its import refused: the browser logs both as errors.
const test = base.extend<{ host: RunningHost; scratch: string }>({
  host: async ({ page }, use) => {
    const { host, proc, dir } = await startHost()
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && !/status of 40\d|ERR_ABORTED|aborted/i.test(m.text()) && errors.push(m.text()))
    page.on('pageerror', (e) => errors.push(e.message))
    await use(host)
    proc.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
    expect(errors, 'console errors on the page').toEqual([])
  },
  // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  scratch: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmscope-drop-'))
    await use(dir)
    rmSync(dir, { recursive: true, force: true })
  },
})

async function dropPaths(page: Page, paths: string[]): Promise<void> {
  // The window takes drops once the app has rendered: a drop before that is lost (it was, once, in CI).
  await page.getByTestId('app').waitFor()
  const cdp = await page.context().newCDPSession(page)
  const data = { items: [], files: paths, dragOperationsMask: 1 }
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, x: 300, y: 300, data })
}

type Run = { id: string; name: string; agents: number; spans: number; events: number; metricSamples: number }
const pick = ({ name, agents, spans, events, metricSamples }: Run) => ({ name, agents, spans, events, metricSamples })
const BIN = new URL('../bin/swarmscope.mjs', import.meta.url).pathname

async function runsOf(host: RunningHost): Promise<Run[]> {
  const res = await fetch(`${new URL(host.url).origin}/api/v1/runs`, { headers: { 'x-swarmscope-token': host.token } })
  return ((await res.json()) as { data: Run[] }).data
}

test('a dropped folder imports what the browser can read and lists the rest; the same claude-flow project dropped twice is one run', async ({ page, host, scratch }) => {
  const project = join(scratch, 'v2.7_swarm-tickets')
  cpSync(join(FIXTURES, 'claude-flow/v2.7_swarm-tickets'), project, { recursive: true })
  // A name that is not UTF-8: the browser will not hand that file over.
  writeFileSync(Buffer.concat([Buffer.from(`${project}/notes-`), Buffer.from([0xff]), Buffer.from('.txt')]), 'notes')
  await page.goto(host.url)
  await dropPaths(page, [project])
  const result = page.getByTestId('import-result').first()
  await expect(result).toContainText('Imported 1 run', { timeout: 30_000 })
  // The browser cannot even say the file's name: the entry is listed under its folder.
  await expect(page.getByTestId('import-skipped').first()).toContainText('v2.7_swarm-tickets/ — cannot read: a file in this folder whose name is not valid UTF-8')
  const first = (await runsOf(host)).filter((r) => r.id.startsWith('cf-'))
  expect(first.map((r) => r.name)).toEqual(['v2.7_swarm-tickets · claude-flow'])
  // The same figures as the CLI's import of the folder in place.
  const cli = spawnSync(process.execPath, [BIN, '--db', join(scratch, 'cli.db'), 'import', project, '--json'], { encoding: 'utf8' })
  const [byCli] = JSON.parse(cli.stdout).runs
  expect(pick(first[0])).toEqual(pick(byCli))

  await dropPaths(page, [project])
  await expect(page.getByTestId('import-result')).toHaveCount(2, { timeout: 30_000 })
  await expect(result).toContainText('Imported 1 run')
  // Still one run, with the figures it had: dropped again, the project is the same run.
  expect((await runsOf(host)).filter((r) => r.id.startsWith('cf-'))).toEqual(first)
  // The uploads' scratch copies are gone: the store keeps no rows for files at those paths.
  const db = new Database(host.dbPath, { readonly: true })
  expect(db.prepare('SELECT (SELECT COUNT(*) FROM imported_files) + (SELECT COUNT(*) FROM file_runs)').pluck().get()).toBe(0)
  db.close()
})

test('Cancel while the files are still uploading stops the drop; a drop after it keeps both summaries', async ({ page, host, scratch }) => {
  const big = join(scratch, 'big.ndjson')
  writeFileSync(big, generateSwarm({ runId: 'drop-big', seed: 8, subagents: 20, callsPerAgent: 1500 }).ndjson)
  await page.goto(host.url)
  // A slow link, so the upload is still going when the user clicks Cancel.
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1_000_000 })
  await dropPaths(page, [big])
  await expect(page.getByTestId('import-figures')).toHaveText('uploading…')
  await page.getByTestId('import-cancel').click()
  const results = page.getByTestId('import-result')
  await expect(results.first()).toContainText('cancelled; nothing was changed', { timeout: 30_000 })
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
  expect(await runsOf(host)).toEqual([])

  const small = join(scratch, 'small.ndjson')
  writeFileSync(small, generateSwarm({ runId: 'drop-small', seed: 9, subagents: 1, callsPerAgent: 2 }).ndjson)
  await dropPaths(page, [small])
  await expect(results).toHaveCount(2, { timeout: 30_000 })
  await expect(results.first()).toContainText('small.ndjson: Imported 1 run')
  await expect(results.nth(1)).toContainText('big.ndjson cancelled')
  expect((await runsOf(host)).map((r) => r.id)).toEqual(['drop-small'])
})

test('a Swarmscope bundle dropped on the window opens its runs; a file that only looks like one is listed', async ({ page, host, scratch }) => {
  const db = join(scratch, 'team.db')
  for (const args of [['import', SIDECHAIN], ['bundle', 'export', 'latest', '--out', join(scratch, 'team.swarmscope')]]) {
    const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], { encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
  }
  writeFileSync(join(scratch, 'broken.swarmscope'), 'not a bundle')
  await page.goto(host.url)
  await dropPaths(page, [join(scratch, 'team.swarmscope'), join(scratch, 'broken.swarmscope')])
  const result = page.getByTestId('import-result').first()
  await expect(result).toContainText('Imported 1 run from 2 files, skipped 1', { timeout: 30_000 })
  await expect(page.getByTestId('import-skipped').first()).toContainText('broken.swarmscope — not a Swarmscope bundle: it is not a SQLite file')
  expect((await runsOf(host)).map((r) => r.id)).toEqual([expect.stringMatching(/^cc-/)])
  // Opened again: nothing added, and the summary says why.
  await dropPaths(page, [join(scratch, 'team.swarmscope')])
  await expect(page.getByTestId('import-result')).toHaveCount(2, { timeout: 30_000 })
  await expect(page.getByTestId('import-result').first()).toContainText('Imported 0 runs from 1 file; 1 run was already stored and left as it was')
})
