import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { startHost, type Host } from '../../src/server/host'
import { CC } from '../helpers/transcript-facts'
import { tempDir } from '../helpers/temp'

// The round trip a user makes when sharing runs, through the local host's REST API as CI sees it:
// import → export a bundle → import it into a fresh data folder → the same analysis.

const TOKEN = 'bundle-roundtrip'
const opened: { host: Host; core: Core }[] = []
afterEach(async () => {
  for (const { host, core } of opened.splice(0)) {
    await host.close()
    core.close()
  }
})

async function freshHost() {
  const core = createCore({ path: join(tempDir(), 'swarmscope.db') })
  const host = await startHost({ core, token: TOKEN, port: 0 })
  opened.push({ host, core })
  const base = `http://127.0.0.1:${host.port}/api/v1`
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(base + path, { method, headers: { 'x-swarmscope-token': TOKEN, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
    const json = (await res.json()) as { ok: boolean; data: T; error?: { message: string } }
    if (!json.ok) throw new Error(`${method} ${path}: ${res.status} ${json.error?.message}`)
    return json.data
  }
}

describe('bundle round trip through the local host', () => {
  it('export → import into a fresh data folder → identical runs and analysis', async () => {
    const a = await freshHost()
    const imported = await a<{ runs: { id: string }[] }>('POST', '/imports', { paths: [CC] })
    const ids = imported.runs.map((r) => r.id).sort()
    expect(ids.length).toBeGreaterThan(1)
    const out = join(tempDir(), 'team.swarmscope')
    const exported = await a<{ path: string; manifest: { runIds: string[] } }>('POST', '/bundles/export', { runIds: ids, out })
    expect(exported.path).toBe(out)

    const b = await freshHost()
    expect(await b<unknown[]>('GET', '/runs')).toEqual([])
    const opened = await b<{ runs: { id: string }[]; existing: string[] }>('POST', '/bundles/import', { path: out })
    expect(opened.runs.map((r) => r.id).sort()).toEqual(ids)

    expect(await b('GET', '/runs')).toEqual(await a('GET', '/runs'))
    for (const id of ids) {
      const path = `/runs/${encodeURIComponent(id)}/analysis?seed=7`
      expect(await b('GET', path)).toEqual(await a('GET', path))
    }
  })
})
