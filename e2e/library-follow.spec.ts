/// <reference lib="dom" />
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { Request } from '@playwright/test'
import { generateSwarm } from '../test/helpers/generated-swarm'
import { sessionFacts, SHOWCASE_MAIN, SIDECHAIN } from '../test/helpers/transcript-facts'
import { expect, test, type RunningHost } from './host'

// The library follows imports made while it is open (a tail, another window, the API): on each
// `runs.changed` it fetches the runs named, not the whole list again. The imports here go
// through the running host's API, as the tail's do, and the expected figures come from the
// transcript lines themselves (transcript-facts.ts), not from the importer.

const tokens = (f: { inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number }) =>
  f.inputTokens + f.outputTokens + f.cacheCreationTokens + f.cacheReadTokens

async function api(page: import('@playwright/test').Page, host: RunningHost, method: 'POST' | 'DELETE', path: string, data?: unknown) {
  const res = await page.request.fetch(`${new URL(host.url).origin}/api/v1${path}`, { method, headers: { 'x-swarmscope-token': host.token }, data })
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true)
  return res.json()
}

test('the library fetches only the runs an import names: a grown transcript, a deleted run, a new run', async ({ page, host }) => {
  const dir = mkdtempSync(join(tmpdir(), 'swarmscope-follow-'))
  try {
    // A real transcript, first written half-way, as a session being recorded.
    const lines = readFileSync(SHOWCASE_MAIN, 'utf8').split('\n').filter((l) => l.trim())
    const file = join(dir, basename(SHOWCASE_MAIN))
    const half = Math.ceil(lines.length / 2)
    writeFileSync(file, lines.slice(0, half).join('\n') + '\n')
    const firstHalf = [...sessionFacts([file]).values()][0]
    const sidechain = join(dir, basename(SIDECHAIN))
    writeFileSync(sidechain, readFileSync(SIDECHAIN))
    await api(page, host, 'POST', '/imports', { paths: [file, sidechain] })
    const runId = `cc-${firstHalf.sessionId}`
    const other = `cc-${[...sessionFacts([sidechain]).keys()][0]}`

    await page.goto(host.url)
    await page.getByTestId('nav-library').click()
    await expect(page.getByTestId('runs-count')).toContainText('2 of 2 runs')
    const tokensCell = page.locator(`[data-run-id="${runId}"] .c7`)
    await expect(tokensCell).toHaveAttribute('title', tokens(firstHalf).toLocaleString('en-US'))

    // From here on, every request the page makes for runs is kept.
    const asked: Request[] = []
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/v1/runs')) asked.push(r)
    })
    const byIds = () => asked.filter((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/runs/by-ids').map((r) => (r.postDataJSON() as { ids: string[] }).ids)
    const lists = () => asked.filter((r) => r.method() === 'GET' && new URL(r.url()).pathname === '/api/v1/runs')

    // The session grows: the rest of its lines, imported as the tail imports them.
    appendFileSync(file, lines.slice(half).join('\n') + '\n')
    const whole = [...sessionFacts([file]).values()][0]
    expect(tokens(whole)).toBeGreaterThan(tokens(firstHalf))
    await api(page, host, 'POST', '/imports', { paths: [file] })
    await expect(tokensCell).toHaveAttribute('title', tokens(whole).toLocaleString('en-US'))
    expect(byIds()).toContainEqual([runId])

    // A run deleted elsewhere leaves the list; a run imported elsewhere joins it.
    await api(page, host, 'DELETE', `/runs/${encodeURIComponent(other)}`)
    await expect(page.locator(`[data-run-id="${other}"]`)).toHaveCount(0)
    await expect(page.getByTestId('runs-count')).toContainText('1 of 1 runs')
    const swarm = generateSwarm({ runId: 'follow-new', name: 'followed swarm', seed: 5, subagents: 1, callsPerAgent: 3 })
    const ndjson = join(dir, 'new.ndjson')
    writeFileSync(ndjson, swarm.ndjson)
    await api(page, host, 'POST', '/imports', { paths: [ndjson] })
    await expect(page.locator('[data-run-id="follow-new"] .c7')).toHaveAttribute('title', tokens(swarm.facts).toLocaleString('en-US'))
    await expect(page.getByTestId('runs-count')).toContainText('2 of 2 runs')

    expect(byIds()).toEqual(expect.arrayContaining([[runId], [other], ['follow-new']]))
    expect(lists(), 'the whole list fetched again after an import that named its runs').toHaveLength(0)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
