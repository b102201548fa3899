import { appendFileSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { claudeProjectsDirs } from '../../src/core/live/claude-dirs'
import { SHOWCASE_MAIN, SIDECHAIN, sessionFacts } from '../helpers/transcript-facts'
import { tempDir } from '../helpers/temp'
import { BIN, count, startServe, until, type ServeProcess } from './helpers'

// Where Claude Code's transcripts are looked for when no folder is named: `swarmscope import`
// without paths, and the tail that `serve` and the app run by default.

const S1 = '55550000-0000-4000-8000-000000000001'
/** The session of the sidechain fixture (its lines name it). */
const S2 = [...sessionFacts([SIDECHAIN]).keys()][0]

let serve: ServeProcess | undefined
afterEach(async () => {
  await serve?.stop()
  serve = undefined
})

/** A home folder with one session under ~/.claude/projects and one under ~/.config/claude/projects. */
function homeWithBoth() {
  const home = tempDir()
  const legacy = join(home, '.claude', 'projects', 'app')
  const xdg = join(home, '.config', 'claude', 'projects', 'other')
  mkdirSync(legacy, { recursive: true })
  mkdirSync(xdg, { recursive: true })
  copyFileSync(SHOWCASE_MAIN, join(legacy, `${S1}.jsonl`))
  return { home, legacy, xdg }
}

const env = (home: string, more: Record<string, string> = {}) => {
  const e: Record<string, string | undefined> = { ...process.env, HOME: home, ...more }
  delete e.XDG_CONFIG_HOME
  if (!('CLAUDE_CONFIG_DIR' in more)) delete e.CLAUDE_CONFIG_DIR
  return e as NodeJS.ProcessEnv
}

describe("Claude Code's projects folders", () => {
  it('are $CLAUDE_CONFIG_DIR/projects (each of a comma-separated list), else ~/.claude/projects and the XDG folder when it exists', () => {
    const { home } = homeWithBoth()
    expect(claudeProjectsDirs({}, home)).toEqual([join(home, '.claude', 'projects'), join(home, '.config', 'claude', 'projects')])
    expect(claudeProjectsDirs({ XDG_CONFIG_HOME: join(home, 'elsewhere') }, home)).toEqual([join(home, '.claude', 'projects')])
    expect(claudeProjectsDirs({}, tempDir())).toHaveLength(1)
    expect(claudeProjectsDirs({ CLAUDE_CONFIG_DIR: ' /a/claude , /b ,' }, home)).toEqual(['/a/claude/projects', '/b/projects'])
  })

  it('`swarmscope import` without paths imports the sessions of both, and says where it looked when there are none', () => {
    const { home, xdg } = homeWithBoth()
    copyFileSync(SIDECHAIN, join(xdg, `${S2}.jsonl`))
    const db = join(tempDir(), 'default.db')
    const r = spawnSync(process.execPath, [BIN, '--db', db, 'import', '--json'], { encoding: 'utf8', env: env(home) })
    expect(r.status, r.stderr).toBe(0)
    const ids = (JSON.parse(r.stdout).runs as { id: string }[]).map((x) => x.id).sort()
    expect(ids).toEqual([...sessionFacts([SHOWCASE_MAIN, SIDECHAIN]).keys()].map((s) => `cc-${s}`).sort())
    // CLAUDE_CONFIG_DIR names the folders instead: here only the XDG one.
    const db2 = join(tempDir(), 'configured.db')
    const r2 = spawnSync(process.execPath, [BIN, '--db', db2, 'import', '--json'], { encoding: 'utf8', env: env(home, { CLAUDE_CONFIG_DIR: join(home, '.config', 'claude') }) })
    expect(r2.status, r2.stderr).toBe(0)
    expect((JSON.parse(r2.stdout).runs as { id: string }[]).map((x) => x.id)).toEqual([`cc-${S2}`])
    const empty = tempDir()
    const none = spawnSync(process.execPath, [BIN, '--db', join(empty, 'x.db'), 'import'], { encoding: 'utf8', env: env(empty) })
    expect(none.status).toBe(2)
    expect(none.stderr).toContain(`no paths given, and no Claude Code projects folder found (looked in ${join(empty, '.claude', 'projects')})`)
  })

  it('serve tails the XDG folder too by default: a session written there is stored as it grows', async () => {
    const { home, xdg } = homeWithBoth()
    const db = join(tempDir(), 'tail.db')
    serve = await startServe(db, ['--port', '0', '--no-otlp'], env(home) as Record<string, string>)
    const lines = readFileSync(SHOWCASE_MAIN, 'utf8').split('\n').filter(Boolean)
    const other = '66660000-0000-4000-8000-000000000002'
    for (const l of lines) appendFileSync(join(xdg, `${other}.jsonl`), l.replace(new RegExp(S1, 'g'), other) + '\n')
    const facts = sessionFacts([SHOWCASE_MAIN]).get(S1)!
    await until('the XDG session stored', () => count(db, 'SELECT COUNT(*) FROM spans WHERE run_id = ? AND kind = ?', `cc-${other}`, 'llm') === facts.llmCalls, 15_000)
  }, 40_000)
})
