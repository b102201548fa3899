import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { startHost, type Host } from '../../src/server/host'
import { tempDir } from '../helpers/temp'
import { BIN, writeSwarms } from './swarm-fixture'

// `swarmscope monitor` against a real host: it reads the same runs the REST API lists.

let core: Core
let host: Host
afterEach(async () => {
  await host?.close()
  core?.close()
})

/** Async, so the host in this process keeps answering while the CLI runs. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, SWARMSCOPE_TOKEN: '' } })
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (d) => (stdout += d))
    p.stderr.on('data', (d) => (stderr += d))
    p.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('swarmscope monitor', () => {
  it('prints a snapshot of a running host: its newest runs and live sources; errors in one sentence', { timeout: 90_000 }, async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'runs'))
    writeSwarms(join(dir, 'runs'), [{ runId: 'm1', seed: 1, callsPerAgent: 4 }, { runId: 'm2', seed: 2, callsPerAgent: 4, errorEvery: 2 }])
    core = createCore({ path: join(dir, 'mon.db') })
    expect((await core.call('import.paths', { paths: [join(dir, 'runs')] })).ok).toBe(true)
    host = await startHost({ core, token: 'mon', port: 0 })
    const url = `http://127.0.0.1:${host.port}`

    const json = await cli(['monitor', '--url', url, '--token', 'mon', '--once', '--json'])
    expect(json.stderr).toBe('')
    const snap = JSON.parse(json.stdout)
    const listed = await core.call('runs.list', { limit: 10 })
    expect(listed.ok && snap.runs).toEqual(listed.ok && listed.data)
    expect(snap.url).toBe(url)

    const text = await cli(['monitor', '--url', url, '--token', 'mon'])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^Swarmscope monitor · http:\/\/127\.0\.0\.1:\d+/)
    expect(text.stdout).toMatch(/\bm1\b/)
    expect(text.stdout).toMatch(/\bm2\b/)

    const noToken = await cli(['monitor', '--url', url, '--once'])
    expect(noToken.code).toBe(2)
    expect(noToken.stderr.trim()).toBe(`swarmscope: the host at ${url} wants its token: pass --token or set SWARMSCOPE_TOKEN`)
    await host.close()
    const down = await cli(['monitor', '--url', url, '--token', 'mon', '--once'])
    expect(down.code).toBe(1)
    expect(down.stderr.trim()).toBe(`swarmscope: no Swarmscope host answers at ${url}; start one with \`swarmscope serve\` or pass --url`)
  })
})
