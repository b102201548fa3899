import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { measure } from './measure'

// ccusage, the reference of the ingest benchmark: the tool people use today on Claude Code
// transcripts (v20 is a native binary that only parses; always run with --offline).

export const CCUSAGE = 'ccusage@20.0.24'
const ROOT = new URL('../..', import.meta.url).pathname

export interface Totals {
  inputTokens: number
  outputTokens: number
  cacheCreationTokens: number
  cacheReadTokens: number
}
export type RunTotals = Totals & { id: string }

/** ccusage's native binary, installed once under bench/.tools (run directly: npx would add ~1 s to every call). */
function ccusageBinary(): string {
  const tools = join(ROOT, 'bench/.tools')
  const bin = join(tools, `node_modules/@ccusage/ccusage-${process.platform}-${process.arch}/bin/ccusage`)
  if (!existsSync(bin)) {
    const r = spawnSync('npm', ['install', '--prefix', tools, '--no-save', '--no-audit', '--no-fund', CCUSAGE], { stdio: 'inherit' })
    if (r.status !== 0 || !existsSync(bin)) throw new Error(`could not install ${CCUSAGE} for this platform`)
  }
  // The package ships the binary without its exec bit (ccusage's JS launcher normally sets it).
  chmodSync(bin, 0o755)
  return bin
}

export function ccusage(configDir: string) {
  const m = measure(ccusageBinary(), ['session', '--json', '--offline'], { CLAUDE_CONFIG_DIR: configDir })
  const sessions = (JSON.parse(m.stdout) as { session: (Totals & { period: string })[] }).session
  return { ms: m.wallMs, maxRssMb: m.maxRssMb, sessions }
}

/** Sessions whose four token totals differ between us and ccusage. */
export function mismatches(runs: RunTotals[], sessions: (Totals & { period: string })[]): string[] {
  const byId = new Map(runs.map((r) => [r.id.replace(/^cc-/, ''), r]))
  const bad = sessions.filter((s) => {
    const r = byId.get(s.period)
    return !r || r.inputTokens !== s.inputTokens || r.outputTokens !== s.outputTokens || r.cacheCreationTokens !== s.cacheCreationTokens || r.cacheReadTokens !== s.cacheReadTokens
  })
  if (sessions.length !== runs.length) bad.push({ period: `count ${runs.length} vs ${sessions.length}` } as never)
  return bad.map((s) => s.period)
}
