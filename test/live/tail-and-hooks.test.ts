import { appendFileSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { SPOOL_FILE } from '../../src/core/live/spool'
import { startHost, type Host } from '../../src/server/host'
import { startLiveServices, type LiveServices } from '../../src/server/live-services'
import { STATE_FILE } from '../../src/server/live-state'
import { tempDir } from '../helpers/temp'
import { SHOWCASE_MAIN, SHOWCASE_SUB, sessionFacts } from '../helpers/transcript-facts'
import { count, HOOK_BIN, rows, runNode, TOKEN, until } from './helpers'

let core: Core | undefined
let host: Host | undefined
let live: LiveServices | undefined
afterEach(async () => {
  await live?.stop()
  await host?.close()
  core?.close()
  core = host = live = undefined
})

async function startApp(dbPath: string, watch: string[] = []) {
  core = createCore({ path: dbPath })
  host = await startHost({ core, token: TOKEN, port: 0 })
  live = await startLiveServices(core, { token: TOKEN, hostPort: host.port, otlpPort: null, watch, tail: { rescanMs: 300 } })
}
async function stopApp() {
  await live!.stop()
  await host!.close()
  core!.close()
  core = host = live = undefined
}

describe('file tailing', () => {
  it('brings lines appended to a watched transcript (and its subagent file) into the run, a half-written line only once whole', async () => {
    const dir = tempDir()
    const dbPath = join(dir, 'tail.db')
    const projects = join(dir, 'projects', 'my-project')
    mkdirSync(projects, { recursive: true })
    await startApp(dbPath, [join(dir, 'projects')])
    const session = '55550000-0000-4000-8000-000000000001'
    const main = join(projects, `${session}.jsonl`)
    const sub = join(projects, session, 'subagents', 'agent-showcol1.jsonl')
    mkdirSync(join(projects, session, 'subagents'), { recursive: true })
    const mainLines = readFileSync(SHOWCASE_MAIN, 'utf8').split('\n').filter(Boolean)
    const subLines = readFileSync(SHOWCASE_SUB, 'utf8').split('\n').filter(Boolean)
    const facts = sessionFacts([SHOWCASE_MAIN, SHOWCASE_SUB]).get(session)!
    const run = async () => (await core!.call('runs.get', { id: `cc-${session}` }))
    // Line by line, as Claude Code writes them; the last main line arrives in two pieces.
    for (const l of mainLines.slice(0, -1)) {
      appendFileSync(main, l + '\n')
      await new Promise((r) => setTimeout(r, 15))
    }
    for (const l of subLines) appendFileSync(sub, l + '\n')
    const last = mainLines[mainLines.length - 1]
    appendFileSync(main, last.slice(0, 40))
    await new Promise((r) => setTimeout(r, 400))
    appendFileSync(main, last.slice(40) + '\n')
    const done = await until('the whole session', async () => {
      const r = await run()
      return r.ok && r.data.llmCalls === facts.llmCalls && r.data.inputTokens === facts.inputTokens && r.data
    }, 10_000)
    expect(done).toMatchObject({ llmCalls: facts.llmCalls, toolCalls: facts.toolCalls, agents: facts.agents, inputTokens: facts.inputTokens, outputTokens: facts.outputTokens, cacheReadTokens: facts.cacheReadTokens })
    const tail = core!.live.health().sources.find((s) => s.kind === 'tail')!
    expect(tail).toMatchObject({ state: 'listening', rejected: 0 })
    expect(tail.written).toBeGreaterThan(0)
    // A change seen just before stopping is still imported by the stop, and the stop ends.
    writeFileSync(join(projects, 'late.ndjson'), JSON.stringify({ v: 1, type: 'event', runId: 'late', id: 'l1', ts: 1767261600000, name: 'late' }) + '\n')
    await new Promise((r) => setTimeout(r, 20))
    await live!.collector.stop()
    expect(rows(dbPath, "SELECT id FROM events WHERE run_id = 'late'")).toEqual([{ id: 'l1' }])
  })

  it('on start, picks up sessions written lately (before or while the app was down), not older files', async () => {
    const dir = tempDir()
    const projects = join(dir, 'projects')
    mkdirSync(projects, { recursive: true })
    const line = (run: string) => JSON.stringify({ v: 1, type: 'event', runId: run, id: 'x', ts: 1767261600000, name: 'n' }) + '\n'
    writeFileSync(join(projects, 'recent.ndjson'), line('recent'))
    writeFileSync(join(projects, 'old.ndjson'), line('old'))
    utimesSync(join(projects, 'old.ndjson'), new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000))
    const dbPath = join(dir, 'start.db')
    await startApp(dbPath, [projects])
    await until('the recent file', () => count(dbPath, "SELECT COUNT(*) FROM events WHERE run_id = 'recent'") === 1)
    await live!.collector.stop()
    expect(count(dbPath, "SELECT COUNT(*) FROM runs WHERE id = 'old'")).toBe(0)
  })
})

const hook = (event: string, extra: Record<string, unknown> = {}) => JSON.stringify({ session_id: 'sess-1234-abcd', transcript_path: '/x.jsonl', cwd: '/home/alice/proj', hook_event_name: event, ...extra })

describe('Claude Code hooks', () => {
  it('forwards to the running app, spools while it is down, and stores the spool on the next start: every delivery exactly once', async () => {
    const dir = tempDir()
    const dbPath = join(dir, 'hooks.db')
    const env = { SWARMSCOPE_DB: dbPath, SWARMSCOPE_HOOK_DEBUG: '1' }
    const runHook = (input: string) => runNode([HOOK_BIN], { env, input })
    await startApp(dbPath)
    expect(existsSync(join(dir, STATE_FILE))).toBe(true)
    const sent = await runHook(hook('PreToolUse', { tool_name: 'Bash', tool_use_id: 'toolu_01', tool_input: { command: 'cat ~/.ssh/id_rsa' } }))
    expect(sent).toMatchObject({ code: 0, stderr: 'swarmscope-hook: sent\n' })
    // Answered after the commit: already in the store when the hook exits.
    expect(rows(dbPath, "SELECT name, agent_id FROM events WHERE run_id = 'cc-sess-1234-abcd'")).toEqual([{ name: 'hook.PreToolUse', agent_id: null }])
    expect(rows(dbPath, "SELECT kind, name, status, end_ms FROM spans WHERE id = 'tool:toolu_01'")).toEqual([{ kind: 'tool', name: 'Bash', status: 'unset', end_ms: null }])
    await stopApp()
    expect(existsSync(join(dir, STATE_FILE))).toBe(false)

    const down = [
      hook('PostToolUse', { tool_name: 'Bash', tool_use_id: 'toolu_01', tool_response: { stdout: 'PRIVATE KEY' } }),
      hook('SubagentStart', { agent_id: 'sub-7', agent_type: 'Explore' }),
      hook('SubagentStop', { agent_id: 'sub-7', agent_type: 'Explore' }),
      hook('Stop'),
    ]
    for (const d of down) expect(await runHook(d)).toMatchObject({ code: 0, stderr: 'swarmscope-hook: spooled\n' })
    // A stale state file (the app was killed) must not stop spooling either.
    writeFileSync(join(dir, STATE_FILE), JSON.stringify({ pid: 1, port: 9, token: 'x' }))
    expect(await runHook(hook('Notification', { notification_type: 'idle' }))).toMatchObject({ code: 0, stderr: 'swarmscope-hook: spooled\n' })
    expect(await runHook('not json')).toMatchObject({ code: 0, stderr: 'swarmscope-hook: ignored\n' })
    const spool = readFileSync(join(dir, SPOOL_FILE), 'utf8')
    expect(spool.trim().split('\n')).toHaveLength(5)
    expect(spool).not.toMatch(/PRIVATE KEY|id_rsa/)

    await startApp(dbPath)
    await until('the spool to be stored', () => !existsSync(join(dir, SPOOL_FILE)) && count(dbPath, "SELECT COUNT(*) FROM events WHERE run_id = 'cc-sess-1234-abcd'") === 6)
    expect(rows(dbPath, "SELECT name FROM events WHERE run_id = 'cc-sess-1234-abcd' ORDER BY ts, name").map((e) => e.name).sort()).toEqual(
      ['hook.Notification', 'hook.PostToolUse', 'hook.PreToolUse', 'hook.Stop', 'hook.SubagentStart', 'hook.SubagentStop'],
    )
    expect(rows(dbPath, "SELECT status FROM spans WHERE id = 'tool:toolu_01'")).toEqual([{ status: 'ok' }])
    expect(rows(dbPath, "SELECT id, type FROM agents WHERE run_id = 'cc-sess-1234-abcd'")).toEqual([{ id: 'sub-7', type: 'Explore' }])
    expect(rows(dbPath, "SELECT name FROM runs WHERE id = 'cc-sess-1234-abcd'")).toEqual([{ name: 'proj · sess-123' }])
    // Ingesting the same spool again (a crash after the commit, before the delete) changes nothing.
    appendFileSync(join(dir, SPOOL_FILE), spool)
    expect(await live!.collector.spool!.ingest()).toBe(5)
    expect(count(dbPath, "SELECT COUNT(*) FROM events WHERE run_id = 'cc-sess-1234-abcd'")).toBe(6)
    expect(count(dbPath, 'SELECT COUNT(*) FROM events WHERE attrs LIKE ?', '%PRIVATE%')).toBe(0)
  })

  it('`swarmscope hook` forwards the same way and exits 0', async () => {
    const dir = tempDir()
    const dbPath = join(dir, 'hooks.db')
    await startApp(dbPath)
    const r = await runNode([join(HOOK_BIN, '../swarmscope.mjs'), '--db', dbPath, 'hook'], { input: hook('UserPromptSubmit', { prompt: 'my secret prompt' }) })
    expect(r.code).toBe(0)
    expect(rows(dbPath, "SELECT name, attrs FROM events WHERE run_id = 'cc-sess-1234-abcd'")).toEqual([{ name: 'hook.UserPromptSubmit', attrs: '{}' }])
  })
})
