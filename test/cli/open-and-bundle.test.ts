import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { desktopLaunch } from '../../src/cli/desktop-app'
import { CC, SIDECHAIN } from '../helpers/transcript-facts'
import { tempDb, tempDir } from '../helpers/temp'

const BIN = new URL('../../bin/swarmscope.mjs', import.meta.url).pathname
// No display and no Electron binary here: `open` must fall back to importing locally.
function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', SWARMSCOPE_APP: '', ...env }, timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('swarmscope open and bundle', () => {
  it('open imports into the local database when the app cannot start, and says how to view it', () => {
    const db = tempDb()
    const r = cli(['open', SIDECHAIN, '--db', db])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`The desktop app cannot start here (there is no display), so 1 run(s) were imported into ${db}.`)
    expect(r.stdout).toContain(`swarmscope serve --db ${db}`)
    expect(JSON.parse(cli(['runs', '--json', '--db', db]).stdout)).toHaveLength(1)
  })

  it('bundle export → bundle open into another database; open FILE.swarmscope does the same; inspect prints the manifest', () => {
    const a = tempDb()
    const ids = (JSON.parse(cli(['import', CC, '--json', '--db', a]).stdout).runs as { id: string }[]).map((r) => r.id).sort()
    const out = join(tempDir(), 'team.swarmscope')
    const exported = cli(['bundle', 'export', ...ids, '--out', out, '--db', a])
    expect(exported.code).toBe(0)
    expect(exported.stdout).toContain(`wrote ${out}`)

    const manifest = JSON.parse(cli(['bundle', 'inspect', out, '--json', '--db', tempDb()]).stdout)
    expect([...manifest.runIds].sort()).toEqual(ids)

    const b = tempDb()
    const opened = JSON.parse(cli(['bundle', 'open', out, '--json', '--db', b]).stdout)
    expect(opened.runs.map((r: { id: string }) => r.id).sort()).toEqual(ids)

    const c = tempDb()
    const viaOpen = JSON.parse(cli(['open', out, '--json', '--db', c]).stdout)
    expect(viaOpen.runs.map((r: { id: string }) => r.id).sort()).toEqual(ids)

    const notBundle = cli(['bundle', 'open', SIDECHAIN, '--db', c])
    expect(notBundle.code).toBe(1)
    expect(notBundle.stderr.trim()).toBe(`swarmscope: ${SIDECHAIN} is not a Swarmscope bundle: it is not a SQLite file`)
  })

  it('launches the desktop app only where it can run', () => {
    const root = '/app'
    const files = new Set(['/app/node_modules/electron/path.txt'])
    const base = { root, platform: 'linux' as const, exists: (p: string) => files.has(p) }
    expect(desktopLaunch(['/x.jsonl'], { ...base, env: {} })).toEqual({ unavailable: 'there is no display' })
    expect(desktopLaunch(['/x.jsonl'], { ...base, env: { DISPLAY: ':0', SWARMSCOPE_HEADLESS: '1' } })).toEqual({ unavailable: 'SWARMSCOPE_HEADLESS is set' })
    files.add('/opt/Swarmscope/swarmscope')
    expect(desktopLaunch(['/x.jsonl'], { ...base, env: { DISPLAY: ':0', SWARMSCOPE_APP: '/opt/Swarmscope/swarmscope' } })).toEqual({ command: '/opt/Swarmscope/swarmscope', args: ['--', '/x.jsonl'] })
    expect(desktopLaunch(['/x.jsonl'], { ...base, platform: 'darwin', env: { SWARMSCOPE_APP: '/nope' } })).toEqual({ unavailable: 'SWARMSCOPE_APP (/nope) does not exist' })
    files.delete('/app/node_modules/electron/path.txt')
    expect(desktopLaunch(['/x.jsonl'], { ...base, env: { DISPLAY: ':0' } })).toEqual({ unavailable: 'neither the Swarmscope app nor the Electron binary is installed' })
    files.add('/usr/bin/swarmscope-app')
    expect(desktopLaunch(['/x.jsonl'], { ...base, env: { DISPLAY: ':0' } })).toEqual({ command: '/usr/bin/swarmscope-app', args: ['--', '/x.jsonl'] })
  })
})
