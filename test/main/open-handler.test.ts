import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { callDispatcher } from '../../src/main/ipc-dispatch'
import { openPaths, type OpenDeps } from '../../src/main/open-handler'
import type { ShellCommand } from '../../src/shared/shell'
import { CC, SIDECHAIN } from '../helpers/transcript-facts'
import { tempDir } from '../helpers/temp'

// What File › Open…, a double-click, the dock and `swarmscope open` do in the app, run here
// against a real core and store: only the window side (dialogs, pushes) is recorded.

const cores: Core[] = []
afterEach(() => cores.splice(0).forEach((c) => c.close()))
function core(): Core {
  const c = createCore({ path: join(tempDir(), 'swarmscope.db') })
  cores.push(c)
  return c
}
function shellSide(c: Core) {
  const seen = { pushed: [] as ShellCommand[], recent: [] as string[], errors: [] as string[], changed: [] as string[] }
  c.on('runs.changed', (p) => seen.changed.push(...p.runIds))
  const deps: OpenDeps = {
    core: c,
    notify: (cmd) => seen.pushed.push(cmd),
    addRecent: (p) => seen.recent.push(p),
    showError: (title, message) => seen.errors.push(`${title}: ${message}`),
    log: { info: () => undefined, warn: () => undefined },
  }
  return { seen, deps }
}

describe('opening files in the app', () => {
  it('imports a transcript, announces runs.changed, shows the run and remembers the file', async () => {
    const c = core()
    const { seen, deps } = shellSide(c)
    const out = await openPaths([SIDECHAIN], deps)
    expect(out.problems).toEqual([])
    expect(out.runIds).toHaveLength(1)
    expect(seen.changed).toEqual(out.runIds)
    expect(seen.pushed).toEqual([{ command: 'show-run', runId: out.runIds[0] }])
    expect(seen.recent).toEqual([SIDECHAIN])
    expect(seen.errors).toEqual([])
  })

  it('opens a .swarmscope bundle by double-click, and shows its run even when it is already there', async () => {
    const src = core()
    const imported = await src.call('import.paths', { paths: [SIDECHAIN] })
    const out = join(tempDir(), 'shared.swarmscope')
    expect((await src.call('bundle.export', { runIds: ['latest'], out })).ok).toBe(true)
    const c = core()
    const { seen, deps } = shellSide(c)
    const first = await openPaths([out], deps)
    const id = imported.ok ? imported.data.runs[0].id : ''
    expect(first.runIds).toEqual([id])
    await openPaths([out], deps)
    expect(seen.pushed).toEqual([{ command: 'show-run', runId: id }, { command: 'show-run', runId: id }])
    expect(seen.recent).toEqual([out, out])
  })

  it('explains what could not be opened and does not remember it', async () => {
    const c = core()
    const { seen, deps } = shellSide(c)
    const bogus = join(tempDir(), 'fake.swarmscope')
    writeFileSync(bogus, 'not sqlite at all, just text that is long enough to be a header')
    const out = await openPaths([bogus, '/no/such/file.jsonl'], deps)
    expect(out.runIds).toEqual([])
    expect(seen.recent).toEqual([])
    expect(seen.pushed).toEqual([])
    expect(seen.errors).toHaveLength(1)
    expect(seen.errors[0]).toContain('Nothing could be opened: ')
    expect(seen.errors[0]).toContain(`${bogus} is not a Swarmscope bundle: it is not a SQLite file`)
    expect(seen.errors[0]).toContain('/no/such/file.jsonl: cannot read')
  })

  it('imports a whole project folder', async () => {
    const { deps } = shellSide(core())
    expect((await openPaths([CC], deps)).runIds.length).toBeGreaterThan(1)
  })
})

describe('IPC dispatch', () => {
  it('checks the sender, answers shell routes itself with validated input, and passes the rest to the core', async () => {
    const c = core()
    const exports: unknown[] = []
    const dispatch = callDispatcher({
      core: c,
      isTrusted: (url) => url.startsWith('file:///app/renderer/'),
      shell: { 'shell.export': async (i) => (exports.push(i), { ok: true, data: { saved: false } }) },
    })
    const page = 'file:///app/renderer/index.html'
    expect(await dispatch('https://evil.example/', 'runs.list', {})).toEqual({ ok: false, error: { code: 'unauthorized', message: 'untrusted sender' } })
    expect(await dispatch(page, 'runs.list', {})).toEqual({ ok: true, data: [] })
    expect(await dispatch(page, 'no.such', {})).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await dispatch(page, 'toString', {})).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await dispatch(page, 42, {})).toMatchObject({ ok: false, error: { code: 'bad_request' } })
    expect(await dispatch(page, 'shell.export', { runIds: [], format: 'bundle' })).toMatchObject({ ok: false, error: { code: 'bad_request' } })
    expect(await dispatch(page, 'shell.export', { runIds: ['r1'], format: 'pdf' })).toEqual({ ok: true, data: { saved: false } })
    expect(exports).toEqual([{ runIds: ['r1'], format: 'pdf' }])
  })
})
