import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'

// Claude Code transcripts with secrets of every supported shape planted in prompts, assistant
// text, tool inputs, tool results, a subagent's file and the session's cwd.

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Random characters from an alphabet (crypto randomness: a planted value never occurs by chance elsewhere). */
export function rand(n: number, alphabet = ALNUM): string {
  const bytes = randomBytes(n)
  let s = ''
  for (let i = 0; i < n; i++) s += alphabet[bytes[i] % alphabet.length]
  return s
}

export const USER = 'alicezq'

/**
 * One planted secret: `text` is what is written into the transcript, `needles` what must not be
 * found in the store afterwards (the secret part itself, never a well-known prefix).
 */
export interface Planted {
  shape: string
  text: string
  needles: string[]
}

export function plantSecrets(): Planted[] {
  const p = (shape: string, text: string, ...needles: string[]): Planted => ({ shape, text, needles: needles.length ? needles : [text] })
  const awsSecret = rand(40, B64)
  const pemBody = [rand(64, B64), rand(64, B64), rand(40, B64) + '==']
  const jwt = `eyJ${rand(20, B64URL)}.eyJ${rand(40, B64URL)}.${rand(43, B64URL)}`
  const password = `hunter2-${rand(12)}`
  const token = `tok${rand(20)}`
  const secret = `sec${rand(20)}`
  const apiKey = `key${rand(24)}`
  const clientSecret = `cs${rand(24)}`
  const entropy = rand(40, B64URL).replace(/^[-_]/, 'Q')
  const webhook = `T${rand(8, UPPER)}/B${rand(8, UPPER)}/${rand(24)}`
  const bearer = rand(32, B64URL)
  const urlPass = `pw${rand(16)}`
  return [
    p('anthropic-key', `sk-ant-api03-${rand(86, B64URL)}AA`),
    p('openai-project-key', `sk-proj-${rand(64, B64URL)}`),
    p('openai-legacy-key', `sk-${rand(20)}T3BlbkFJ${rand(20)}`),
    p('aws-access-key-id', `AKIA${rand(16, UPPER)}`),
    p('aws-secret-key', `aws_secret_access_key = ${awsSecret}`, awsSecret),
    ...['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'].map((pre) => p(`github ${pre}`, `${pre}${rand(36)}`)),
    p('github_pat_', `github_pat_${rand(22)}_${rand(59)}`),
    p('slack-token', `xoxb-${rand(11, '0123456789')}-${rand(12, '0123456789')}-${rand(24)}`),
    p('slack-webhook', `https://hooks.slack.com/services/${webhook}`, webhook),
    p('google-api-key', `AIza${rand(35, B64URL)}`),
    p('jwt', jwt),
    p('pem-private-key', `-----BEGIN RSA PRIVATE KEY-----\n${pemBody.join('\n')}\n-----END RSA PRIVATE KEY-----`, ...pemBody),
    p('password=', `DB_PASSWORD="${password}"`, password),
    p('token:', `token: ${token}`, token),
    p('secret=', `secret=${secret}`, secret),
    p('api_key (YAML)', `api_key: ${apiKey}`, apiKey),
    p('client_secret (JSON)', `{"client_secret": "${clientSecret}"}`, clientSecret),
    p('high-entropy env', `export BUILD_SIGNING_SEED=${entropy}`, entropy),
    p('bearer', `Authorization: Bearer ${bearer}`, bearer),
    p('url password', `postgres://svc:${urlPass}@db.internal.example.com/app`, urlPass),
    p('email', `${USER}.liddell@example.org`, `${USER}.liddell`),
    p('home (linux)', `/home/${USER}/webapp/src/app.ts`, `/home/${USER}`),
    p('home (mac)', `/Users/${USER}/Library/Caches`, `/Users/${USER}`),
    // As written in a prompt, and as the same text reads inside JSON (a tool call's input).
    p('home (windows)', `C:\\Users\\${USER}\\proj\\main.py`, `Users\\${USER}`, `Users\\\\${USER}`),
  ]
}

const T0 = Date.parse('2026-03-01T09:00:00Z')
const iso = (s: number) => new Date(T0 + s * 1000).toISOString()

/**
 * Writes `<dir>/<session>.jsonl` and its subagent file. Every planted secret appears in the
 * prompt, in assistant text, in a Bash command and in the tool's result; some also in the
 * subagent's prompt and result and in `toolUseResult` (which is never stored).
 */
export function writeTranscript(dir: string, planted: Planted[], session = `5e55${rand(4, '0123456789abcdef')}-0000-4000-8000-${rand(12, '0123456789abcdef')}`) {
  const cwd = `/home/${USER}/webapp`
  const all = planted.map((x) => x.text).join('\n')
  const base = { isSidechain: false, userType: 'external', cwd, sessionId: session, version: '2.1.20', gitBranch: 'main' }
  const usage = { input_tokens: 10, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }
  const lines: Record<string, unknown>[] = []
  let n = 0
  const uuid = () => `u-${++n}`
  lines.push({ ...base, type: 'user', uuid: uuid(), parentUuid: null, timestamp: iso(0), message: { role: 'user', content: `Deploy the app please. Here is the env:\n${all}` } })
  planted.forEach((x, i) => {
    const a = uuid()
    const msgId = `msg_${i}`
    // One response written as three lines (text, then a tool call), as Claude Code does.
    lines.push({ ...base, type: 'assistant', uuid: a, parentUuid: `u-${n - 1}`, timestamp: iso(10 * i + 1), requestId: `req_${i}`,
      message: { id: msgId, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: `I found this in your config: ${x.text}` }], usage } })
    lines.push({ ...base, type: 'assistant', uuid: uuid(), parentUuid: a, timestamp: iso(10 * i + 2), requestId: `req_${i}`,
      message: { id: msgId, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'tool_use', id: `toolu_${i}`, name: 'Bash', input: { command: `cd /home/${USER}/webapp && export ANTHROPIC_API_KEY=${planted[0].text} && echo '${x.text}'`, description: 'run it' } }], usage } })
    lines.push({ ...base, type: 'user', uuid: uuid(), parentUuid: `u-${n - 1}`, timestamp: iso(10 * i + 5),
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${i}`, content: [{ type: 'text', text: `output:\n${x.text}\nin /home/${USER}/webapp` }], is_error: i % 7 === 3 }] },
      toolUseResult: { stdout: x.text, stderr: '', interrupted: false } })
  })
  // A subagent started by a Task call, with secrets in its prompt and its answer.
  const t = 10 * planted.length + 10
  lines.push({ ...base, type: 'assistant', uuid: uuid(), parentUuid: `u-${n - 1}`, timestamp: iso(t), requestId: 'req_task',
    message: { id: 'msg_task', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'tool_use', id: 'toolu_task', name: 'Task', input: { subagent_type: 'general-purpose', description: 'audit', prompt: `Audit these:\n${all}` } }], usage } })
  lines.push({ ...base, type: 'user', uuid: uuid(), parentUuid: `u-${n - 1}`, timestamp: iso(t + 30),
    message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_task', content: [{ type: 'text', text: `Audit done.\n${all}` }] }] },
    toolUseResult: { agentId: 'sub1', content: [{ type: 'text', text: all }] } })
  const main = join(dir, `${session}.jsonl`)
  writeFileSync(main, lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
  const subDir = join(dir, session, 'subagents')
  mkdirSync(subDir, { recursive: true })
  const sub = { ...base, isSidechain: true, agentId: 'sub1' }
  const subLines = [
    { ...sub, type: 'user', uuid: 's-1', parentUuid: null, timestamp: iso(t + 1), message: { role: 'user', content: `Audit these:\n${all}` } },
    { ...sub, type: 'assistant', uuid: 's-2', parentUuid: 's-1', timestamp: iso(t + 20), requestId: 'req_sub',
      message: { id: 'msg_sub', type: 'message', role: 'assistant', model: 'claude-haiku-4-5-20251001', content: [{ type: 'text', text: `Found:\n${all}` }], usage } },
  ]
  writeFileSync(join(subDir, 'agent-sub1.jsonl'), subLines.map((l) => JSON.stringify(l)).join('\n') + '\n')
  return { session, runId: `cc-${session}`, files: [main, join(subDir, 'agent-sub1.jsonl')] }
}

/** The bytes of the database file and its WAL (when there is one). */
export function storeBytes(dbPath: string): Buffer {
  const parts = [dbPath, `${dbPath}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f))
  return Buffer.concat(parts)
}

/** Every text cell of every table, read back through SQLite (catches text split across overflow pages). */
export function allText(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true })
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name)
    const out: string[] = []
    for (const t of tables) {
      for (const row of db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]) {
        for (const v of Object.values(row)) if (typeof v === 'string') out.push(v)
      }
    }
    return out.join('\n')
  } finally {
    db.close()
  }
}

/** The needles found in the store (as raw bytes in the file or WAL, or as text through SQLite). */
export function foundIn(dbPath: string, planted: Planted[]): string[] {
  const bytes = storeBytes(dbPath)
  const text = allText(dbPath)
  return planted.flatMap((x) => x.needles.filter((n) => bytes.includes(Buffer.from(n, 'utf8')) || text.includes(n)).map((n) => `${x.shape}: ${n}`))
}

/** Names that say who and where: an anonymized output must show none of them. */
export interface Identities {
  host: string
  agent: string
  group: string
  tag: string
  runId: string
  runName: string
}

export function plantIdentities(): Identities {
  const r = rand(6, '0123456789abcdefghijklmnopqrstuvwxyz')
  return { host: `buildhost-${r}`, agent: `reviewer-${r}`, group: `team-${r}`, tag: `${USER}-laptop`, runId: `nd-${r}`, runName: `nightly deploy ${r}` }
}

/**
 * An NDJSON run that names a host, an agent with its own name, and puts secrets and home paths
 * into an error, a span name, attributes, an event and a metric label (the ways metadata that is
 * not text reaches the store).
 */
export function writeNdjsonRun(dir: string, planted: Planted[], id: Identities): string {
  const t0 = T0 + 3_600_000
  const lines: Record<string, unknown>[] = [
    { v: 1, type: 'run', id: id.runId, name: id.runName, source: 'myswarm', attrs: { 'host.name': id.host, cwd: `/home/${USER}/webapp` } },
    { type: 'agent', id: 'lead', name: `${id.agent}-lead`, agentType: 'planner' },
    { type: 'agent', id: 'rev', name: id.agent, agentType: 'reviewer', parentAgentId: 'lead', attrs: { hostname: id.host } },
    { type: 'span', id: 'a-lead', kind: 'agent', name: `${id.agent}-lead`, agentId: 'lead', start: t0, end: t0 + 60_000, status: 'ok' },
    { type: 'span', id: 'a-rev', parentId: 'a-lead', kind: 'agent', name: id.agent, agentId: 'rev', start: t0 + 1000, end: t0 + 50_000, status: 'ok' },
  ]
  planted.forEach((x, i) => {
    const s = t0 + 2000 + i * 1500
    lines.push(
      { type: 'span', id: `l${i}`, parentId: i % 2 ? 'a-rev' : 'a-lead', kind: 'llm', name: 'claude-sonnet-4-5', model: 'claude-sonnet-4-5', agentId: i % 2 ? 'rev' : 'lead', start: s, end: s + 700 + 37 * i, status: 'ok', inputTokens: 100 + i, outputTokens: 40 + i, cacheReadTokens: 10 * i },
      {
        type: 'span', id: `t${i}`, parentId: `l${i}`, kind: 'tool', name: i % 3 ? 'Read' : `Read /home/${USER}/webapp/src/app.ts`, agentId: i % 2 ? 'rev' : 'lead',
        start: s + 800, end: s + 1200, status: i % 4 ? 'ok' : 'error', error: i % 4 ? undefined : `failed on ${id.host} in /home/${USER}/webapp: ${x.text}`,
        attrs: { 'host.name': id.host, path: `/home/${USER}/webapp/src/app.ts`, note: x.text },
      },
    )
  })
  lines.push({ type: 'event', ts: t0 + 5000, name: 'agent.spawned', agentId: 'rev', attrs: { host: id.host, message: planted[1].text } })
  lines.push({ type: 'metric', name: 'queue.depth', value: 3, ts: t0 + 5000, unit: '1', labels: { host: id.host, agent: id.agent } })
  const file = join(dir, `${id.runId}.ndjson`)
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
  return file
}
