import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { tempDir } from '../helpers/temp'
import { SHOWCASE_MAIN, SIDECHAIN } from '../helpers/transcript-facts'
import { until } from '../live/helpers'

// The app and a CLI share one database file: what one process commits, the other's screens hear of.

const cores: Core[] = []
afterEach(() => cores.splice(0).forEach((c) => c.close()))
const open = (path: string) => {
  const c = createCore({ path })
  cores.push(c)
  return c
}

describe('writes by another process', () => {
  it('reach runs.changed listeners within a couple of seconds; our own writes are announced once, by the import itself', async () => {
    const dbPath = join(tempDir(), 'shared.db')
    const app = open(dbPath)
    const heard: string[][] = []
    app.on('runs.changed', (p) => heard.push(p.runIds))

    const own = await app.call('import.paths', { paths: [SHOWCASE_MAIN] })
    expect(own.ok).toBe(true)
    await new Promise((r) => setTimeout(r, 1500))
    // One event naming the imported run; the poller does not echo our own commit.
    expect(heard.length).toBe(1)
    expect(heard[0].length).toBeGreaterThan(0)

    const cli = open(dbPath) // another connection to the same file, as `swarmscope import` has
    const other = await cli.call('import.paths', { paths: [SIDECHAIN] })
    expect(other.ok && other.data.runs.length).toBeGreaterThan(0)
    await until('external change heard', () => heard.length === 2, 5000)
    expect(heard[1]).toEqual([])
    const listed = await app.call('runs.list', {})
    expect(listed.ok && listed.data.length).toBe(2)
  }, 20_000)
})
