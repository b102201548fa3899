#!/usr/bin/env node
// Claude Code hook → Swarmscope, as fast as Node allows: no dependencies, no bundle, nothing
// but node:fs/http/os/path. Reads the hook's JSON from stdin, posts it to the running host
// (port and token from live-host.json beside the database), and when the host is not running
// or does not answer in time, appends it to hooks.spool.ndjson there, which the host stores
// on its next start. Never blocks or fails Claude Code: it prints nothing and exits 0.
//
// settings.json: {"hooks": {"PreToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": "swarmscope-hook"}]}], …}}
import { appendFileSync, mkdirSync, readFileSync, realpathSync } from 'node:fs'
import { request } from 'node:http'
import { homedir, platform } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Hook fields that are forwarded: names and ids. Prompts, tool input and output stay on this machine. */
const KEPT = ['session_id', 'cwd', 'hook_event_name', 'tool_name', 'tool_use_id', 'agent_id', 'agent_type', 'notification_type', 'source', 'reason', 'trigger', 'permission_mode', 'model', 'stop_hook_active']
const MAX_STDIN = 64 * 1024 * 1024

/** The same folder rules as the CLI (src/core/platform/paths.ts): SWARMSCOPE_DB's folder, SWARMSCOPE_DATA_DIR, or the platform default. */
export function dataDir(env = process.env) {
  if (env.SWARMSCOPE_DB) return dirname(env.SWARMSCOPE_DB)
  if (env.SWARMSCOPE_DATA_DIR) return env.SWARMSCOPE_DATA_DIR
  const home = homedir()
  if (platform() === 'darwin') return join(home, 'Library', 'Application Support', 'swarmscope')
  if (platform() === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'swarmscope')
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'swarmscope')
}

export function readStdin(stream = process.stdin, timeoutMs = 5000) {
  return new Promise((resolve) => {
    const chunks = []
    let size = 0
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'))
    const timer = setTimeout(done, timeoutMs)
    stream.on('data', (c) => {
      size += c.length
      if (size <= MAX_STDIN) chunks.push(c)
    })
    stream.on('end', () => (clearTimeout(timer), done()))
    stream.on('error', () => (clearTimeout(timer), done()))
  })
}

function post(state, body, timeoutMs) {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: state.port, path: '/api/v1/live/hooks', method: 'POST', timeout: timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-swarmscope-token': state.token } },
      (res) => {
        res.resume()
        resolve(res.statusCode === 200)
      },
    )
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(false))
    req.end(body)
  })
}

/** Forwards one hook payload (stdin text); resolves with 'sent', 'spooled', 'ignored' or 'lost'. */
export async function forwardHook(text, { env = process.env, now = Date.now(), timeoutMs = Number(env.SWARMSCOPE_HOOK_TIMEOUT_MS) || 1500 } = {}) {
  let hook
  try {
    hook = JSON.parse(text)
  } catch {
    return 'ignored'
  }
  if (typeof hook !== 'object' || hook === null || Array.isArray(hook)) return 'ignored'
  const kept = {}
  for (const k of KEPT) if (hook[k] !== undefined && typeof hook[k] !== 'object') kept[k] = hook[k]
  const delivery = { ts: now, hook: kept }
  const dir = dataDir(env)
  let state = null
  try {
    state = JSON.parse(readFileSync(join(dir, 'live-host.json'), 'utf8'))
  } catch {
    // No host has run here, or it stopped cleanly: spool.
  }
  if (state && (await post(state, JSON.stringify({ deliveries: [delivery] }), timeoutMs))) return 'sent'
  try {
    mkdirSync(dir, { recursive: true })
    // One write of one line with O_APPEND: concurrent hooks never interleave within a line.
    appendFileSync(join(dir, 'hooks.spool.ndjson'), JSON.stringify(delivery) + '\n', { mode: 0o600 })
    return 'spooled'
  } catch {
    return 'lost'
  }
}

const isMain = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
})()
if (isMain) {
  const outcome = await forwardHook(await readStdin()).catch(() => 'lost')
  if (process.env.SWARMSCOPE_HOOK_DEBUG) process.stderr.write(`swarmscope-hook: ${outcome}\n`)
  process.exit(0)
}
