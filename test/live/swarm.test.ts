import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { tempDir } from '../helpers/temp'
import { SIDECHAIN, sessionFacts } from '../helpers/transcript-facts'
import { BIN, count, freePort, ROOT, rows, runNode, startServe, STREAMER, TOKEN, until, type ServeProcess } from './helpers'

// The "done" criteria, with real processes throughout: `swarmscope serve`, several
// WebSocket streamers, two OTLP exporters (json and protobuf) and a Claude Code transcript
// growing in a watched folder, all at once; then a host killed mid-stream and restarted.

let serve: ServeProcess | undefined
afterEach(async () => {
  await serve?.stop('SIGKILL')
  serve = undefined
})

/** Records of each kind a streamer sends for `n` records (it cycles event, span, metric). */
const kinds = (n: number) => ({ events: Math.ceil(n / 3), spans: Math.ceil((n - 1) / 3), metrics: Math.ceil((n - 2) / 3) })
const streamer = (port: number, runId: string, n: number, batch: number, onLine?: (l: string) => void) =>
  runNode([STREAMER, JSON.stringify({ url: `ws://127.0.0.1:${port}/ingest`, token: TOKEN, runId, count: n, batch, quiet: !onLine })], { onLine })

describe('a live swarm', () => {
  it('streams over WebSocket, OTLP json and protobuf and a growing transcript at once, and every record is stored exactly once', async () => {
    const dir = tempDir()
    const dbPath = join(dir, 'swarm.db')
    const watched = join(dir, 'projects')
    const deadPort = await freePort()
    serve = await startServe(dbPath, ['--port', '0', '--otlp-port', '0', '--watch', watched, '--connect', `ws://127.0.0.1:${deadPort}/ws`])
    const pushes: { event: string; payload: { runs?: { runId: string }[] } }[] = []
    const stream = new WebSocket(`ws://127.0.0.1:${serve.port}/api/v1/stream?token=${TOKEN}`)
    stream.on('message', (m) => pushes.push(JSON.parse(String(m))))
    await new Promise((r) => stream.once('open', r))

    const N = 3000
    const session = '88a8d761-7b9a-4bf1-a8ca-c1febe6bf358'
    const otel = (encoding: string) => runNode([join(ROOT, 'bin/run-ts.mjs'), join(ROOT, 'test/live/fixtures/otel-child.ts'), JSON.stringify({ url: `http://127.0.0.1:${serve!.otlpPort}`, token: TOKEN, encoding, service: `swarm-${encoding}`, spans: 200, logs: 40, gzip: encoding === 'protobuf' })])
    const [w1, w2, w3, json, proto, transcript] = await Promise.all([
      streamer(serve.port, 'ws-1', N, 100),
      streamer(serve.port, 'ws-2', N, 250),
      streamer(serve.port, 'ws-3', N, 1000),
      otel('json'),
      otel('protobuf'),
      runNode([join(ROOT, 'test/live/fixtures/transcript-writer.mjs'), SIDECHAIN, join(watched, 'proj', `${session}.jsonl`), '5']),
    ])
    for (const w of [w1, w2, w3]) expect(w.stdout).toMatch(new RegExp(`^done ${N + 2} `, 'm'))
    const sent = { json: JSON.parse(json.stdout.trim().split('\n').pop()!), protobuf: JSON.parse(proto.stdout.trim().split('\n').pop()!) }
    expect(transcript.code).toBe(0)

    for (const runId of ['ws-1', 'ws-2', 'ws-3']) {
      const k = kinds(N)
      expect([count(dbPath, 'SELECT COUNT(*) FROM events WHERE run_id = ?', runId), count(dbPath, 'SELECT COUNT(*) FROM spans WHERE run_id = ?', runId), count(dbPath, 'SELECT COUNT(*) FROM metric_samples WHERE run_id = ?', runId), count(dbPath, 'SELECT COUNT(*) FROM agents WHERE run_id = ?', runId)]).toEqual([k.events, k.spans, k.metrics, 1])
    }
    for (const enc of ['json', 'protobuf'] as const) {
      const s = sent[enc]
      expect(s.results).toEqual(s.results.map(() => 0))
      const runId = `otlp-swarm-${enc}`
      expect(count(dbPath, 'SELECT COUNT(*) FROM spans WHERE run_id = ?', runId)).toBe(s.spans)
      expect(count(dbPath, 'SELECT COUNT(*) FROM events WHERE run_id = ?', runId)).toBe(s.spanEvents + s.logs)
      expect(count(dbPath, 'SELECT COUNT(*) FROM metric_samples WHERE run_id = ?', runId)).toBe(s.samples)
    }
    const facts = sessionFacts([SIDECHAIN]).get(session)!
    const cc = await until('the transcript to be in', () => {
      const [r] = rows(dbPath, 'SELECT llm_calls, tool_calls, input_tokens, output_tokens FROM runs WHERE id = ?', `cc-${session}`)
      return r && r.llm_calls === facts.llmCalls && r.input_tokens === facts.inputTokens && r
    }, 10_000)
    expect(cc).toEqual({ llm_calls: facts.llmCalls, tool_calls: facts.toolCalls, input_tokens: facts.inputTokens, output_tokens: facts.outputTokens })

    // Health, from another process, as a user would ask for it.
    const health = JSON.parse((await runNode([BIN, '--db', dbPath, 'health', '--json'])).stdout)
    const by = (kind: string) => health.sources.find((s: { kind: string }) => s.kind === kind)
    expect(health.running).toBe(true)
    expect(by('ws')).toMatchObject({ written: 3 * (N + 2), rejected: 0, dropped: 0, sampledOut: 0, queueDepth: 0 })
    expect(by('otlp')).toMatchObject({ state: 'listening', rejected: 0, dropped: 0 })
    expect(['retrying', 'failed']).toContain(by('claude-flow').state)
    expect(by('tail').state).toBe('listening')
    // Pushed to subscribers, throttled: stats about once a second, run updates a few times a second.
    await until('a live.stats push', () => pushes.some((p) => p.event === 'live.stats'), 3000)
    const liveRuns = new Set(pushes.filter((p) => p.event === 'live.run').flatMap((p) => p.payload.runs!.map((r) => r.runId)))
    expect([...liveRuns]).toEqual(expect.arrayContaining(['ws-1', 'ws-2', 'ws-3', 'otlp-swarm-json', 'otlp-swarm-protobuf']))
    stream.close()
  }, 60_000)

  it('loses no acknowledged record when the host is killed mid-stream and restarted', async () => {
    const dir = tempDir()
    const dbPath = join(dir, 'kill.db')
    const port = await freePort()
    const args = ['--port', String(port), '--no-otlp', '--no-watch']
    serve = await startServe(dbPath, args)
    const N = 30_000
    const BATCH = 500
    const acked = new Set<number>()
    let killedAt = -1
    const done = streamer(port, 'killed', N, BATCH, (line) => {
      const m = /^ack (\d+)/.exec(line)
      if (m) acked.add(Number(m[1]))
    })
    await until('some acks', () => acked.size >= 10, 20_000)
    await serve.stop('SIGKILL')
    killedAt = acked.size
    // Every batch acknowledged before the kill is in the file, read by a fresh connection.
    const ids = new Set(rows(dbPath, "SELECT id FROM events WHERE run_id = 'killed' UNION ALL SELECT id FROM spans WHERE run_id = 'killed'").map((r) => r.id))
    const samples = new Set(rows(dbPath, "SELECT ts FROM metric_samples WHERE run_id = 'killed'").map((r) => r.ts as number))
    const lost: number[] = []
    for (const seq of acked) {
      for (let i = seq * BATCH; i < (seq + 1) * BATCH; i++) {
        const present = i % 3 === 0 ? ids.has(`e${i}`) : i % 3 === 1 ? ids.has(`s${i}`) : samples.has(1767261600000 + i)
        if (!present) lost.push(i)
      }
    }
    expect(lost).toEqual([])
    expect(killedAt).toBeLessThan(N / BATCH)
    serve = await startServe(dbPath, args)
    const result = await done
    expect(result.stdout).toMatch(/^done /m)
    const k = kinds(N)
    expect([count(dbPath, "SELECT COUNT(*) FROM events WHERE run_id = 'killed'"), count(dbPath, "SELECT COUNT(*) FROM spans WHERE run_id = 'killed'"), count(dbPath, "SELECT COUNT(*) FROM metric_samples WHERE run_id = 'killed'")]).toEqual([k.events, k.spans, k.metrics])
  }, 60_000)
})
