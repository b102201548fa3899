import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Command } from 'commander'
import { CHROMIUM_HINT, claudeProjectsDirs, defaultDbPath, findChromium } from '../../core'
import { loadConfig } from '../../core/config/file'
import { storeHealth } from '../../core/store/store-health'
import { printJson, type GlobalOptions } from '../context'
import { packageRoot } from '../package-root'

// `swarmscope doctor`: what this machine can and cannot do, each problem with its fix.
// Only 'error' checks fail the command; 'warn' marks something optional that is missing.

export interface Check {
  name: string
  status: 'ok' | 'warn' | 'error'
  detail: string
  fix?: string
}

const OTLP_HTTP_PORT = 4318

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
}

async function checkSqlite(): Promise<Check> {
  try {
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(':memory:')
    const { v } = db.prepare('SELECT sqlite_version() AS v').get() as { v: string }
    db.close()
    return { name: 'better-sqlite3', status: 'ok', detail: `loads in Node ${process.versions.node} (SQLite ${v})` }
  } catch (e) {
    return { name: 'better-sqlite3', status: 'error', detail: `does not load: ${(e as Error).message.split('\n')[0]}`, fix: 'run `npm rebuild better-sqlite3` (needs python3, make and a C++ compiler)' }
  }
}

/** mkdir -p one level at a time: Node's recursive mkdirSync can spin forever under /proc. */
function makeDirs(dir: string): void {
  if (existsSync(dir)) return
  if (dirname(dir) !== dir) makeDirs(dirname(dir))
  mkdirSync(dir)
}

function checkDataDir(dbPath: string): Check {
  const dir = dirname(dbPath)
  try {
    makeDirs(dir)
    const probe = join(dir, `.doctor-${process.pid}`)
    writeFileSync(probe, 'ok')
    rmSync(probe)
    return { name: 'data directory', status: 'ok', detail: `${dir} is writable${existsSync(dbPath) ? '' : ' (the database is created on first import)'}` }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    // No room for a two-byte file is a full disk, not a folder this user may not write.
    if (code === 'ENOSPC') return { name: 'data directory', status: 'error', detail: `the disk holding ${dir} is full (ENOSPC)`, fix: 'free some space, or pass --db PATH or set SWARMSCOPE_DATA_DIR to a folder on another disk' }
    return { name: 'data directory', status: 'error', detail: `${dir} is not writable (${code ?? (e as Error).message})`, fix: 'pass --db PATH or set SWARMSCOPE_DATA_DIR to a writable folder' }
  }
}

function checkConfig(dbPath: string): Check {
  try {
    const c = loadConfig(dbPath)
    return { name: 'settings', status: 'ok', detail: `valid (${c.alerts.rules.length} alert rules, ${c.alerts.webhooks.length} webhooks, ${c.pricing.overrides.length} price overrides)` }
  } catch (e) {
    return { name: 'settings', status: 'error', detail: (e as Error).message, fix: 'edit the file, or run `swarmscope config reset`' }
  }
}

function checkChromium(): Check {
  const path = findChromium()
  return path
    ? { name: 'Chromium (PDF and PNG reports)', status: 'ok', detail: path }
    : { name: 'Chromium (PDF and PNG reports)', status: 'warn', detail: 'not found: PDF and PNG export are unavailable (HTML and Markdown work)', fix: CHROMIUM_HINT }
}

/** Sessions (`<project>/<session>.jsonl`) in each Claude Code projects folder that exists: what `import` without paths and the default tail read. */
function checkClaudeFolders(): Check {
  const name = 'Claude Code transcripts'
  const dirs = claudeProjectsDirs()
  const found: string[] = []
  let total = 0
  for (const dir of dirs) {
    try {
      const projects = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())
      const sessions = projects.reduce((n, p) => n + readdirSync(join(dir, p.name)).filter((f) => f.endsWith('.jsonl')).length, 0)
      total += sessions
      found.push(`${dir}: ${projects.length} project${projects.length === 1 ? '' : 's'}, ${sessions} session${sessions === 1 ? '' : 's'}`)
    } catch {
      // Not there (or not readable): not one of this machine's folders.
    }
  }
  if (total > 0) return { name, status: 'ok', detail: found.join('; ') }
  const fix = 'set CLAUDE_CONFIG_DIR to where Claude Code keeps its data, or name the files to import'
  return { name, status: 'warn', detail: found.length > 0 ? `no sessions yet (${found.join('; ')})` : `no Claude Code projects folder (looked in ${dirs.join(', ')})`, fix }
}

/** Electron facts come from scripts/electron-env.mjs, which never require()s electron (that would try to download it). */
async function checkElectron(): Promise<Check> {
  const name = 'Electron (desktop app)'
  try {
    const env = (await import(pathToFileURL(join(packageRoot(), 'scripts/electron-env.mjs')).href)) as { electronBinary(): string | null; electronVersion(): string; hasDisplay(): boolean }
    if (!existsSync(join(packageRoot(), 'node_modules/electron/package.json'))) {
      return { name, status: 'warn', detail: 'not installed: `npm start` serves the app to a browser instead', fix: 'npm install electron (needs access to its binary downloads)' }
    }
    const bin = env.electronBinary()
    if (!bin) return { name, status: 'warn', detail: `electron ${env.electronVersion()} has no binary: \`npm start\` serves the app to a browser instead`, fix: 'run `node node_modules/electron/install.js` where GitHub downloads are reachable' }
    if (!env.hasDisplay()) return { name, status: 'warn', detail: `electron ${env.electronVersion()} at ${bin}, but no display: \`npm start\` serves to a browser`, fix: 'set DISPLAY or WAYLAND_DISPLAY, or use `swarmscope serve`' }
    return { name, status: 'ok', detail: `electron ${env.electronVersion()} at ${bin}` }
  } catch {
    return { name, status: 'warn', detail: 'cannot tell: this is not a source checkout (the packaged app brings its own Electron)' }
  }
}

async function checkPort(label: string, port: number, fix: string): Promise<Check> {
  return (await portFree(port))
    ? { name: `port ${port} (${label})`, status: 'ok', detail: 'free' }
    : { name: `port ${port} (${label})`, status: 'warn', detail: 'in use by another process (perhaps a running `swarmscope serve`)', fix }
}

function checkNode(): Check {
  const [major, minor] = process.versions.node.split('.').map(Number)
  const ok = major > 20 || (major === 20 && minor >= 19)
  return ok ? { name: 'Node.js', status: 'ok', detail: process.versions.node } : { name: 'Node.js', status: 'error', detail: `${process.versions.node} is too old`, fix: 'install Node.js 20.19 or newer' }
}

export async function runChecks(dbPath: string): Promise<Check[]> {
  const port = (() => {
    try {
      return loadConfig(dbPath).server.port
    } catch {
      return 7420
    }
  })()
  return [
    checkNode(),
    await checkSqlite(),
    checkDataDir(dbPath),
    { name: 'store', ...storeHealth(dbPath) },
    checkConfig(dbPath),
    checkClaudeFolders(),
    checkChromium(),
    await checkElectron(),
    await checkPort('swarmscope serve', port, 'stop the other process, or run `swarmscope serve --port 0` for a free port'),
    await checkPort('OTLP/HTTP receiver', OTLP_HTTP_PORT, 'stop the other OTLP receiver, or give live collection another port'),
  ]
}

const MARK = { ok: 'ok  ', warn: 'warn', error: 'FAIL' } as const

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check this machine: database driver, data directory, the store (opens, is whole, writable, room on its disk), settings, Claude Code transcripts, Chromium for PDF, Electron, free ports; says how to fix each problem')
    .addHelpText('after', '\nExample:\n  swarmscope doctor --json\n\nExit code 1 when a required check fails; missing optional parts (Chromium, Electron) are warnings.')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const checks = await runChecks(opts.db ?? defaultDbPath())
      const failed = checks.filter((c) => c.status === 'error').length
      if (opts.json) printJson({ ok: failed === 0, checks })
      else {
        for (const c of checks) {
          console.log(`${MARK[c.status]}  ${c.name}: ${c.detail}`)
          if (c.fix && c.status !== 'ok') console.log(`      fix: ${c.fix}`)
        }
        const warned = checks.filter((c) => c.status === 'warn').length
        console.log(failed ? `\n${failed} problem${failed === 1 ? '' : 's'} to fix.` : `\nAll required checks passed${warned ? ` (${warned} optional part${warned === 1 ? '' : 's'} missing)` : ''}.`)
      }
      if (failed) process.exitCode = 1
    })
}
