import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { loadavg } from 'node:os'
import { basename, join } from 'node:path'
import Database from 'better-sqlite3'
import { openStore } from '../../src/core/store/open'
import { count, IngestClient, ROOT, runNode, startServe, STREAMER, TOKEN, until, type ServeProcess } from '../../test/live/helpers'
import { generateCorpus } from '../corpus/claude-code'
import { median, round } from '../lib/measure'

// Live collection benchmark (issue 7). Every figure is measured against real processes (the
// `swarmscope serve` CLI, streamer and exporter processes) and, where a speed is claimed, set
// against a reference measured in the same run: raw SQLite inserts of the same rows, an OTLP
// receiver that does nothing, a bare `node` start.

const HOOK = join(ROOT, 'bin/swarmscope-hook.mjs')
const CLI = join(ROOT, 'bin/swarmscope.mjs')
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]
const stats = (xs: number[]) => ({ n: xs.length, p50: round(quantile(xs, 0.5), 1), p99: round(quantile(xs, 0.99), 1), max: round(Math.max(...xs), 1) })

function procStatus(pid: number) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0)
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024, cpuMs: (Number(f[11]) + Number(f[12])) * 10 }
}

const streamers = (serve: ServeProcess, clients: number, perClient: number, kinds: string, prefix: string, randomIds = false) =>
  Promise.all(Array.from({ length: clients }, (_, i) => runNode([STREAMER, JSON.stringify({ url: `ws://127.0.0.1:${serve.port}/ingest`, token: TOKEN, runId: `${prefix}${i}`, count: perClient, batch: 1000, quiet: true, kinds, randomIds })])))

/** 10 concurrent WebSocket clients into the store: throughput, server CPU per record, memory. */
async function wsThroughput(work: string, clients: number, perClient: number, kinds: string, randomIds = false) {
  const db = join(work, `ws-${kinds}${randomIds ? '-random' : ''}.db`)
  const serve = await startServe(db, ['--port', '0', '--no-otlp', '--no-watch'])
  try {
    const before = procStatus(serve.child.pid!)
    let peakRss = before.rssMb
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, procStatus(serve.child.pid!).rssMb)), 100)
    const started = performance.now()
    const results = await streamers(serve, clients, perClient, kinds, 'bench-', randomIds)
    const ms = performance.now() - started
    clearInterval(sampler)
    const after = procStatus(serve.child.pid!)
    const total = clients * perClient
    const stored = count(db, "SELECT (SELECT COUNT(*) FROM events WHERE run_id LIKE 'bench-%') + (SELECT COUNT(*) FROM spans WHERE run_id LIKE 'bench-%') + (SELECT COUNT(*) FROM metric_samples WHERE run_id LIKE 'bench-%')")
    const summaries = results.map((r) => JSON.parse(r.stdout.trim().split('\n').pop()!.split(' ').slice(2).join(' ')) as { p99: number; firstSendAt: number; lastAckAt: number })
    // Sustained: from the first batch sent by any client to the last ack, without process start-up.
    const streamingMs = Math.max(...summaries.map((s) => s.lastAckAt)) - Math.min(...summaries.map((s) => s.firstSendAt))
    return {
      clients, records: total, kinds, ids: randomIds ? 'random 64-bit hex (like span ids, UUIDs)' : 'sequential', stored, allStored: stored === total, recordsPerSec: Math.round(total / (streamingMs / 1000)),
      wallMsIncludingClientStartup: Math.round(ms), streamingMs,
      serverCpuUsPerRecord: round(((after.cpuMs - before.cpuMs) * 1000) / total, 2),
      serverRssMb: { beforeRun: round(before.rssMb, 1), peakDuringRun: round(peakRss, 1) },
      batchAckP99Ms: round(Math.max(...summaries.map((b) => b.p99)), 1),
    }
  } finally {
    await serve.stop()
  }
}

/** Reference: the same event rows inserted with one prepared statement per row, 2000 per transaction, into the same schema. */
function rawInserts(work: string, n: number) {
  const path = join(work, 'raw.db')
  rmSync(path, { force: true })
  const store = openStore({ path })
  store.write.prepare("INSERT INTO runs (id, source, format, name, created_at, updated_at) VALUES ('raw', 'x', 'x', 'raw', 0, 0)").run()
  const insert = store.write.prepare('INSERT INTO events (run_id, id, ts, name, severity, agent_id, attrs) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const started = performance.now()
  for (let b = 0; b < n; b += 2000) store.write.transaction(() => {
    for (let i = b; i < Math.min(n, b + 2000); i++) insert.run('raw', `e${i}`, 1767261600000 + i, 'tick', null, 'a1', JSON.stringify({ i }))
  })()
  const ms = performance.now() - started
  store.close()
  return { rows: n, rowsPerSec: Math.round(n / (ms / 1000)) }
}

async function otlpSpans(work: string, spans: number) {
  const blast = (url: string, service: string) => runNode([join(ROOT, 'bin/run-ts.mjs'), join(ROOT, 'bench/lib/otlp-span-blaster.ts'), JSON.stringify({ url, token: TOKEN, spans, service })])
  // Reference: a receiver that reads each request and answers 200 without decoding or storing.
  const sink = createServer((req, res) => req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end()))
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()))
  const nullRun = JSON.parse((await blast(`http://127.0.0.1:${(sink.address() as { port: number }).port}`, 'null')).stdout) as { ms: number }
  sink.close()
  const db = join(work, 'otlp.db')
  const serve = await startServe(db, ['--port', '0', '--otlp-port', '0', '--no-watch'])
  try {
    const ours = JSON.parse((await blast(`http://127.0.0.1:${serve.otlpPort}`, 'bench')).stdout) as { ms: number; failed: number }
    const stored = count(db, "SELECT COUNT(*) FROM spans WHERE run_id LIKE 'otlp-bench@lane-%'")
    return {
      spans, stored, allStored: stored === spans, failedExports: ours.failed,
      lanes: 4, spansPerRequest: 1024, spansPerSec: Math.round(spans / (ours.ms / 1000)), nullReceiverSpansPerSec: Math.round(spans / (nullRun.ms / 1000)), oursOverNullReceiver: round(nullRun.ms / ours.ms),
    }
  } finally {
    await serve.stop()
  }
}

/** Send → visible to a separate reader, one event at a time, idle and under 5 streaming clients. */
async function latency(work: string) {
  const db = join(work, 'latency.db')
  const serve = await startServe(db, ['--port', '0', '--no-otlp', '--no-watch'])
  try {
    const probe = async (n: number, runId: string) => {
      const client = await IngestClient.open(serve.port)
      const reader = new Database(db, { readonly: true })
      const countQ = reader.prepare('SELECT COUNT(*) AS n FROM events WHERE run_id = ?')
      const sent: number[] = []
      const seen: number[] = []
      const poll = setInterval(() => {
        const c = (countQ.get(runId) as { n: number }).n
        while (seen.length < c) seen.push(performance.now())
      }, 1)
      for (let i = 0; i < n; i++) {
        sent.push(performance.now())
        void client.send(i, [{ type: 'event', runId, id: `l${i}`, ts: 1767261600000 + i, name: 'probe' }])
        await new Promise((r) => setTimeout(r, 5))
      }
      await until('probe events visible', () => seen.length >= n, 30_000, 5)
      clearInterval(poll)
      reader.close()
      client.close()
      return stats(sent.map((t, i) => seen[i] - t))
    }
    const idle = await probe(300, 'lat-idle')
    const load = streamers(serve, 5, 60_000, 'mixed', 'load-')
    await new Promise((r) => setTimeout(r, 300))
    const underLoad = await probe(300, 'lat-load')
    await load
    return { sendToQueryableMs: { idle, under5StreamingClients: underLoad } }
  } finally {
    await serve.stop()
  }
}

/** Hook start-to-exit, against a bare `node` start; and a transcript line appended → in the run. */
async function hooksAndTail(work: string) {
  const db = join(work, 'hooks.db')
  const watched = join(work, 'projects')
  mkdirSync(watched, { recursive: true })
  const serve = await startServe(db, ['--port', '0', '--no-otlp', '--watch', watched])
  try {
    const input = JSON.stringify({ session_id: 'bench-session', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_use_id: 'toolu_x', cwd: '/tmp' })
    const time = async (args: string[], env: Record<string, string> = {}) => {
      const t = performance.now()
      await runNode(args, { input, env: { SWARMSCOPE_DB: db, ...env } })
      return performance.now() - t
    }
    const runs = async (args: string[], n: number, env?: Record<string, string>) => {
      const xs: number[] = []
      for (let i = 0; i < n; i++) xs.push(await time(args, env))
      return xs
    }
    // Interleaved, so load from other processes hits both alike.
    const bare: number[] = []
    const hook: number[] = []
    for (let i = 0; i < 20; i++) {
      bare.push(await time(['-e', '']))
      hook.push(await time([HOOK]))
    }
    const cli = await runs([CLI, 'hook'], 5)
    const spooled = await runs([HOOK], 10, { SWARMSCOPE_DB: join(work, 'nothing-here', 'x.db') })
    // Tail: replay a generated session line by line into the watched folder; time until each new LLM call is counted.
    const corpus = generateCorpus(join(work, 'corpus'), 400 * 1024)
    const source = corpus.sessions.sort((a, b) => statSync(b).size - statSync(a).size)[0]
    const session = basename(source, '.jsonl')
    const file = join(watched, 'p', `${session}.jsonl`)
    mkdirSync(join(watched, 'p'), { recursive: true })
    const reader = new Database(db, { readonly: true })
    const calls = () => (reader.prepare("SELECT COUNT(*) AS n FROM spans WHERE kind = 'llm' AND run_id = ?").get(`cc-${session}`) as { n: number }).n
    const tail: number[] = []
    const responses = new Set<string>()
    for (const line of readFileSync(source, 'utf8').split('\n').filter(Boolean).slice(0, 400)) {
      const before = calls()
      const t = performance.now()
      appendFileSync(file, line + '\n')
      // Only a line starting a new API response (message id + request id) adds an LLM call.
      const json = JSON.parse(line) as { type?: string; requestId?: string; message?: { id?: string; usage?: unknown } }
      const key = `${json.message?.id}|${json.requestId}`
      if (json.type !== 'assistant' || !json.message?.usage || responses.has(key)) continue
      responses.add(key)
      await until('the line in the store', () => calls() > before, 10_000, 2)
      tail.push(performance.now() - t)
    }
    reader.close()
    return {
      hookMs: { swarmscopeHook: stats(hook), bareNodeStart: stats(bare), hookOverBareNode: round(median(hook) / median(bare)), cliHook: stats(cli), spooledWhenNotRunning: stats(spooled), goal: 'swarmscope-hook p50 < 50 ms' },
      tailLineToStoreMs: { ...stats(tail), goal: '< 1000' },
    }
  } finally {
    await serve.stop()
  }
}

export async function liveSuite(opts: { work: string; quick?: boolean }) {
  // Other work on the machine shows in every figure: the 1-minute load average, before and after.
  const loadBefore = round(loadavg()[0], 2)
  const work = join(opts.work, 'live')
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const perClient = opts.quick ? 20_000 : 100_000
  const events = await wsThroughput(work, 10, perClient, 'event')
  console.log('ws events', JSON.stringify(events))
  const mixed = await wsThroughput(work, 10, perClient / 2, 'mixed')
  console.log('ws mixed', JSON.stringify(mixed))
  const randomIds = await wsThroughput(work, 10, perClient / 2, 'event', true)
  console.log('ws random ids', JSON.stringify(randomIds))
  const raw = rawInserts(work, 10 * perClient)
  const otlp = await otlpSpans(work, opts.quick ? 20_000 : 100_000)
  console.log('otlp', JSON.stringify(otlp))
  const lat = await latency(work)
  console.log('latency', JSON.stringify(lat))
  const hooks = await hooksAndTail(work)
  console.log('hooks/tail', JSON.stringify(hooks))
  rmSync(work, { recursive: true, force: true })
  return {
    suite: 'live',
    loadAverage1m: { before: loadBefore, after: round(loadavg()[0], 2), note: 'other processes compete for the same cores; compare ratios, not absolutes, across runs' },
    websocket: {
      events: { ...events, goal: '>= 100000 records/s' },
      mixedEventsSpansSamples: mixed,
      eventsWithRandomIds: randomIds,
      rawInsertReference: { ...raw, oursOverRawInserts: round(events.recordsPerSec / raw.rowsPerSec) },
    },
    otlp,
    ...lat,
    ...hooks,
  }
}
