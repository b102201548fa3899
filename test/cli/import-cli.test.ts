import { spawn } from 'node:child_process'
import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOWCASE_MAIN, SIDECHAIN } from '../helpers/transcript-facts'
import { tempDir } from '../helpers/temp'
import { BIN, cliAs, nobodyCanRun } from '../helpers/cli-as'

// What a user meets at the command line around `swarmscope import`: unreadable files, groups on
// a re-import, refused arguments, Ctrl-C. Each runs the real CLI in its own process.

const cli = cliAs
const json = (r: { stdout: string }) => JSON.parse(r.stdout)

describe('swarmscope import at the command line', () => {
  it.skipIf(!nobodyCanRun)('an unreadable file or folder, or a name that is not UTF-8, is one skipped entry; the readable files still import', () => {
    const dir = tempDir()
    chmodSync(dir, 0o777)
    const home = join(dir, 'home')
    mkdirSync(home)
    chmodSync(home, 0o777)
    const logs = join(dir, 'logs')
    mkdirSync(join(logs, 'locked'), { recursive: true })
    copyFileSync(SIDECHAIN, join(logs, 'good.jsonl'))
    copyFileSync(SHOWCASE_MAIN, join(logs, 'noread.jsonl'))
    copyFileSync(SHOWCASE_MAIN, join(logs, 'locked', 'inside.jsonl'))
    chmodSync(logs, 0o755)
    chmodSync(join(logs, 'good.jsonl'), 0o644)
    chmodSync(join(logs, 'noread.jsonl'), 0o000)
    chmodSync(join(logs, 'locked'), 0o000)
    // A claude-flow database the user may not read, beside a -wal they may (its sniff reads the database).
    const hive = new URL('../../../shared/fixtures/real/claude-flow/v2.7_swarm-tickets/.hive-mind/', import.meta.url).pathname
    mkdirSync(join(logs, 'proj', '.hive-mind'), { recursive: true })
    for (const f of ['hive.db', 'hive.db-wal']) copyFileSync(join(hive, f), join(logs, 'proj', '.hive-mind', f))
    chmodSync(join(logs, 'proj'), 0o755)
    chmodSync(join(logs, 'proj', '.hive-mind'), 0o755)
    chmodSync(join(logs, 'proj', '.hive-mind', 'hive.db-wal'), 0o644)
    chmodSync(join(logs, 'proj', '.hive-mind', 'hive.db'), 0o000)
    // A name that is not UTF-8 cannot be named by a JavaScript string: listed as such, not as missing.
    writeFileSync(Buffer.concat([Buffer.from(`${logs}/notes-`), Buffer.from([0xff]), Buffer.from('.jsonl')]), '{}\n')
    const env = { HOME: home, SWARMSCOPE_DATA: join(home, 'data') }
    const db = join(home, 's.db')
    // The folder, and the unreadable file named on its own.
    const r = cli(['--db', db, 'import', logs, join(logs, 'noread.jsonl'), '--json'], { env, asUser: true })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = json(r)
    expect(out.runs).toHaveLength(1)
    expect(out.skipped).toEqual([
      { file: join(logs, 'locked'), line: null, reason: 'cannot read: permission denied' },
      { file: join(logs, 'notes-\uFFFD.jsonl'), line: null, reason: 'cannot read: its name is not valid UTF-8' },
      { file: join(logs, 'noread.jsonl'), line: null, reason: 'cannot read: permission denied' },
      { file: join(logs, 'proj', '.hive-mind', 'hive.db'), line: null, reason: 'cannot read: permission denied' },
      { file: join(logs, 'proj', '.hive-mind', 'hive.db-wal'), line: null, reason: 'cannot read: permission denied' },
    ])
    // Imported before, grown since, unreadable now: nothing is read, so no run is named and the exit says so.
    const good = join(logs, 'good.jsonl')
    appendFileSync(good, '\n')
    chmodSync(good, 0o000)
    const again = cli(['--db', db, 'import', good, '--json'], { env, asUser: true })
    expect(again.code).toBe(1)
    expect(json(again)).toEqual({ runs: [], skipped: [{ file: good, line: null, reason: 'cannot read: permission denied' }] })
    chmodSync(join(logs, 'locked'), 0o755)
  })

  it('--group and --tag name the runs an import adds; runs stored before keep theirs, and the user is told', () => {
    const dir = tempDir()
    const project = join(dir, 'project')
    mkdirSync(project)
    copyFileSync(SIDECHAIN, join(project, 'a.jsonl'))
    const db = join(dir, 's.db')
    const first = json(cli(['--db', db, 'import', project, '--group', 'baseline', '--tag', 'try=1', '--json']))
    expect(first.runs.map((r: { group: string }) => r.group)).toEqual(['baseline'])
    // The project folder, imported again as the candidate, now also holds a new session.
    copyFileSync(SHOWCASE_MAIN, join(project, 'b.jsonl'))
    const again = cli(['--db', db, 'import', project, '--group', 'candidate', '--tag', 'try=2'])
    expect(again.code).toBe(0)
    expect(again.stderr).toContain('note: 1 run(s) were stored before and keep their group and tags')
    expect(again.stdout).toMatch(/2 run\(s\) from 2 file\(s\) \(1 unchanged since the last import, not read again\); 0 skipped/)
    const runs = json(cli(['--db', db, 'runs', '--json'])) as { id: string; group: string; tags: Record<string, string> }[]
    const byId = new Map(runs.map((r) => [r.id, r]))
    expect(byId.get(first.runs[0].id)).toMatchObject({ group: 'baseline', tags: { try: '1' } })
    const added = runs.find((r) => r.id !== first.runs[0].id)
    expect(added).toMatchObject({ group: 'candidate', tags: { try: '2' } })
    // An import that adds nothing does not claim the store is empty.
    const nothing = cli(['--db', db, 'import', join(project, 'a.jsonl')])
    expect(nothing.stdout).not.toContain('No runs yet')
  })

  it('refuses an empty tag value, a tag given twice and an empty group before opening the store', () => {
    const dir = tempDir()
    const db = join(dir, 's.db')
    for (const [args, message] of [
      [['--tag', 'k='], '--tag k=: the value is empty'],
      [['--tag', 'model=sonnet', '--tag', 'model=opus'], '--tag model is given twice ("sonnet" and "opus")'],
      [['--group', ''], '--group needs a name'],
    ] as const) {
      const r = cli(['--db', db, 'import', SIDECHAIN, ...args])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr, args.join(' ')).toContain(message)
    }
    expect(existsSync(db)).toBe(false)
  })

  it('Ctrl-C cancels: exit 130, the store as it was, nothing left in the temp folder', async () => {
    const dir = tempDir()
    const tmp = join(dir, 'tmp')
    mkdirSync(tmp)
    const db = join(dir, 's.db')
    expect(cli(['--db', db, 'import', SIDECHAIN]).code).toBe(0)
    // A transcript big enough to take a while, then a claude-flow database (read from a copy in the temp folder).
    const project = join(dir, 'project')
    mkdirSync(join(project, '.hive-mind'), { recursive: true })
    const line = (i: number) => JSON.stringify({ type: 'assistant', sessionId: 'big', uuid: `u${i}`, timestamp: new Date(1_700_000_000_000 + i).toISOString(), message: { id: `m${i}`, model: 'claude-haiku-4-5', usage: { input_tokens: 1, output_tokens: 1 } }, pad: 'x'.repeat(400) })
    writeFileSync(join(project, 'a-big.jsonl'), Array.from({ length: 120_000 }, (_, i) => line(i)).join('\n') + '\n')
    const hive = new URL('../../../shared/fixtures/real/claude-flow/v2.7_swarm-tickets/.hive-mind/hive.db', import.meta.url).pathname
    copyFileSync(hive, join(project, '.hive-mind', 'hive.db'))
    if (existsSync(`${hive}-wal`)) copyFileSync(`${hive}-wal`, join(project, '.hive-mind', 'hive.db-wal'))

    const child = spawn(process.execPath, [BIN, '--db', db, 'import', project], { env: { ...process.env, TMPDIR: tmp } })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    // Once the store is open (its -wal appears; Ctrl-C is handled from then on) and the import
    // under way (~3 s here), the user presses Ctrl-C.
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
    for (let waited = 0; !existsSync(`${db}-wal`) && waited < 20_000; waited += 20) await sleep(20)
    await sleep(400)
    child.kill('SIGINT')
    expect(await exit).toBe(130)
    expect(stderr).toContain('import cancelled; the store is as it was')
    expect(json(cli(['--db', db, 'runs', '--json'])).map((r: { id: string }) => r.id)).toEqual([expect.stringMatching(/^cc-/)])
    expect(readdirSync(tmp)).toEqual([])
  })
  it('a Swarmscope bundle named to import is opened, as one dropped on the window is; a file that is not one is named as such', () => {
    const dir = tempDir()
    const [from, to] = [join(dir, 'from.db'), join(dir, 'to.db')]
    expect(cli(['--db', from, 'import', SIDECHAIN]).code).toBe(0)
    const bundle = join(dir, 'team.swarmscope')
    expect(cli(['--db', from, 'bundle', 'export', 'latest', '--out', bundle]).code).toBe(0)
    writeFileSync(join(dir, 'notes.swarmscope'), 'not a bundle\n')
    // Before: "skipped team.swarmscope: binary file of an unknown format", and nothing imported.
    const r = cli(['--db', to, 'import', bundle, SHOWCASE_MAIN, join(dir, 'notes.swarmscope'), '--json'])
    const out = json(r) as { runs: { id: string; llmCalls: number }[]; skipped: { file: string; reason: string }[] }
    const stored = json(cli(['--db', from, 'runs', '--json'])) as { id: string; llmCalls: number }[]
    expect(out.runs.map((x) => x.id).sort()).toEqual([stored[0].id, 'cc-55550000-0000-4000-8000-000000000001'].sort())
    expect(out.runs.find((x) => x.id === stored[0].id)!.llmCalls).toBe(stored[0].llmCalls)
    expect(out.skipped).toEqual([{ file: join(dir, 'notes.swarmscope'), line: null, reason: expect.stringContaining('is not a Swarmscope bundle') }])
  })
})
