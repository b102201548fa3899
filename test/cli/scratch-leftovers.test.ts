import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startServe, TOKEN } from '../live/helpers'
import { tempDir } from '../helpers/temp'

// A Swarmscope process killed outright (SIGKILL, the OOM killer) cannot remove its scratch
// folders: a copy of a claude-flow database, files dropped on the browser window. The next
// process that makes one of the same kind removes them, and only those: real processes, real
// SIGKILL, a private temp folder (TMPDIR) per test.

const BIN = new URL('../../bin/swarmscope.mjs', import.meta.url).pathname
const PROJECT = new URL('../../../shared/fixtures/real/claude-flow/v2.7_swarm-tickets/', import.meta.url).pathname
/** This machine's name as the folders carry it, worked out here rather than taken from the code under test. */
const HOST = hostname().replace(/[^A-Za-z0-9_]/g, '_')

/** The id of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!

function leftover(tmp: string, name: string): string {
  const dir = join(tmp, name)
  mkdirSync(dir)
  writeFileSync(join(dir, 'hive.db'), 'a copy of a user database')
  return dir
}

describe('scratch folders left by a killed process', () => {
  it('an import of a claude-flow database removes copies that ended processes of this host left, and no others', () => {
    const tmp = tempDir()
    const dead = leftover(tmp, `swarmscope-cf-${HOST}.${deadPid()}-Ab12Cd`)
    const live = leftover(tmp, `swarmscope-cf-${HOST}.${process.pid}-Ef34Gh`)
    const otherHost = leftover(tmp, `swarmscope-cf-${HOST}x.${deadPid()}-Ij56Kl`)
    const olderForm = leftover(tmp, 'swarmscope-cf-Mn78Op')
    const otherKind = leftover(tmp, `swarmscope-bundle-${HOST}.${deadPid()}-Qr90St`)
    const project = join(tempDir(), 'project')
    cpSync(PROJECT, project, { recursive: true })

    const r = spawnSync(process.execPath, [BIN, '--db', join(tempDir(), 's.db'), 'import', project, '--json'], { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } })
    expect(r.status, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).runs.length).toBeGreaterThan(0)
    expect(existsSync(dead)).toBe(false)
    for (const kept of [live, otherHost, olderForm, otherKind]) expect(existsSync(kept), kept).toBe(true)
    // And the import's own copy is gone too.
    expect(readdirSync(tmp).filter((n) => n.startsWith('swarmscope-cf-')).sort()).toEqual([live, otherHost, olderForm].map((d) => basename(d)).sort())
  })

  it('a host killed with SIGKILL leaves its uploads; the next host started removes them', async () => {
    const tmp = tempDir()
    const db = join(tempDir(), 's.db')
    const first = await startServe(db, ['--port', '0', '--no-otlp', '--no-watch'], { TMPDIR: tmp })
    // A file dropped on the browser window, uploaded to the host's scratch folder.
    const base = `http://127.0.0.1:${first.port}/api/v1`
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
    const { data } = (await (await fetch(`${base}/uploads`, { method: 'POST', headers })).json()) as { data: { uploadId: string } }
    const put = await fetch(`${base}/uploads/${data.uploadId}/files?path=${encodeURIComponent('session.jsonl')}`, { method: 'PUT', headers, body: '{"type":"user"}\n' })
    expect(put.status).toBe(200)
    const [left] = readdirSync(tmp).filter((n) => n.startsWith('swarmscope-uploads-'))
    expect(left).toMatch(new RegExp(`^swarmscope-uploads-${HOST}\\.${first.child.pid}-`))
    await first.stop('SIGKILL')
    expect(readdirSync(join(tmp, left, data.uploadId))).toEqual(['session.jsonl'])

    const second = await startServe(db, ['--port', '0', '--no-otlp', '--no-watch'], { TMPDIR: tmp })
    try {
      const now = readdirSync(tmp).filter((n) => n.startsWith('swarmscope-uploads-'))
      expect(now).toEqual([expect.stringMatching(new RegExp(`^swarmscope-uploads-${HOST}\\.${second.child.pid}-`))])
    } finally {
      await second.stop()
    }
    // A host stopped normally removes its own.
    expect(readdirSync(tmp).filter((n) => n.startsWith('swarmscope-uploads-'))).toEqual([])
  })

  it('a host stopped (SIGTERM) the moment it says it is up removes its scratch folder and exits 0', async () => {
    const tmp = tempDir()
    const child = spawn(process.execPath, [BIN, '--db', join(tempDir(), 's.db'), 'serve', '--no-open', '--port', '0', '--no-otlp', '--no-watch'], {
      env: { ...process.env, TMPDIR: tmp, SWARMSCOPE_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'],
    })
    // Its last line of start-up, as a script or service manager waiting for it would see it.
    child.stdout.on('data', (d) => {
      if (String(d).includes('live ingest:')) child.kill('SIGTERM')
    })
    const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.once('exit', (c, s) => r([c, s])))
    // Before: the signal came before serve listened for it, so it was killed outright (null, SIGTERM) and left its folder.
    expect([code, signal]).toEqual([0, null])
    expect(readdirSync(tmp).filter((n) => n.startsWith('swarmscope-uploads-'))).toEqual([])
  })
})
