import { statSync } from 'node:fs'
import type { FormatImporter, SniffInput } from '../formats'
import { readJsonDocument } from '../json-document'
import { jsonFailure } from '../json-error'
import { LineError } from '../records'
import { EntryError, type Path } from './checks'
import { linesOf } from '../json-locate'
import { KNOWN_SNAPSHOTS, metricsSeries, metricsSnapshot, v2AgentMetrics, v2TaskMetrics } from './metrics-json'
import { projectOf, projectSink, type JsonHandler } from './project'
import { hiveState, routingOutcomes } from './v3-hive'
import { agentStore, daemonState, dotSwarmState, swarmState, taskStore } from './v3-json'

/**
 * Which claude-flow JSON files are read, by their path inside the project, and the name
 * ("stem") their metrics take. Any other JSON under `.claude-flow` (config, daemon-children,
 * sessions/current.json, hive-mind auto-saves…) is not profiling data and is left alone.
 */
const ROUTES: [RegExp, JsonHandler, string | null][] = [
  // v2 (`.claude-flow/metrics/`); the fixture keeps a renamed copy, hence the optional suffix.
  [/^\.claude-flow\/metrics\/task-metrics(\.[^/]+)?\.json$/, v2TaskMetrics, 'task-metrics'],
  [/^\.claude-flow\/metrics\/agent-metrics(\.[^/]+)?\.json$/, v2AgentMetrics, 'agent-metrics'],
  [/^\.claude-flow\/metrics\/system-metrics(\.[^/]+)?\.json$/, metricsSeries('system'), 'system-metrics'],
  // v2 performance.json (both shapes) and every v3 metrics file: snapshots of numbers.
  [/^\.claude-flow\/metrics\/[\w.-]+\.json$/, metricsSnapshot, null],
  // v3 / ruflo state.
  [/^\.claude-flow\/daemon-state\.json$/, daemonState, 'daemon-state'],
  [/^\.claude-flow\/swarm\/swarm-state\.json$/, swarmState, 'swarm-state'],
  [/^\.swarm\/state\.json$/, dotSwarmState, 'state'],
  [/^\.claude-flow\/agents(\/store)?\.json$/, agentStore, 'agents'],
  [/^\.claude-flow\/tasks\/store\.json$/, taskStore, 'tasks'],
  [/^\.claude-flow\/hive-mind\/state\.json$/, hiveState, 'hive-mind-state'],
  [/^\.claude-flow\/routing-outcomes\.json$/, routingOutcomes, 'routing-outcomes'],
  [/^\.claude-flow\/performance\/metrics\.json$/, metricsSeries('perf'), 'perf'],
  [/^\.claude-flow\/system\/metrics\.json$/, metricsSnapshot, 'system'],
]

/** The route of a file; `named` when the path is one claude-flow itself writes (not the metrics catch-all). */
function route(path: string): { handler: JsonHandler; stem: string; named: boolean } | null {
  const project = projectOf(path)
  if (!project) return null
  for (const [re, handler, stem] of ROUTES) {
    if (!re.test(project.rel)) continue
    const name = stem ?? project.rel.split('/').pop()!.replace(/\.json$/, '')
    return { handler, stem: name, named: stem !== null || KNOWN_SNAPSHOTS.has(name) }
  }
  return null
}

/**
 * Reports what the handler skipped, each at the first line of the file where its entry goes
 * wrong. Lines are looked up only now, after the read, and only for entries that named where
 * (see json-locate.ts): one more pass over the text, for all of them at once.
 */
function report(ctx: { skip(line: number | null, reason: string): void }, text: string, skipped: { reason: string; at?: Path[] }[]): void {
  const located = skipped.flatMap((s) => s.at ?? [])
  const lines = located.length ? linesOf(text, located) : []
  let next = 0
  for (const s of skipped) {
    const found = (s.at ?? []).map(() => lines[next++]).filter((l): l is number => l !== null)
    ctx.skip(found.length ? Math.min(...found) : null, s.reason)
  }
}

/** claude-flow v2 and v3 JSON files; every file of one project lands in one run (see project.ts). */
export const claudeFlowJsonFormat: FormatImporter = {
  format: 'claude-flow-json',
  appendOnly: false,
  sniff({ path, name, head }: SniffInput) {
    const r = name.endsWith('.json') ? route(path) : null
    if (!r) return false
    // A file at a path claude-flow writes is its file even when empty or damaged (a crash
    // mid-write): claimed, it is reported with its problem instead of passed over in silence.
    if (r.named) return true
    const first = head.toString('utf8', 0, 256).trimStart()[0]
    // A metrics-folder file that is not an object is none of claude-flow's snapshots: not ours.
    return first === '{' || (first === '[' && r.handler !== metricsSnapshot)
  },
  async importFile(ctx) {
    const { handler, stem } = route(ctx.path)!
    const project = projectOf(ctx.path)!
    const done = { endOffset: ctx.size, lines: 0 }
    const doc = readJsonDocument(ctx.path, ctx.size)
    if ('tooLarge' in doc) {
      ctx.skip(null, doc.tooLarge)
      return done
    }
    const { text } = doc
    if (text.trim() === '') {
      ctx.skip(null, 'empty file')
      return done
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (e) {
      const failure = jsonFailure(text, e)
      ctx.skip(failure.line, text.includes('\u0000') ? `binary file, not JSON (${stem}.json)` : failure.reason)
      return done
    }
    const skipped: { reason: string; at?: Path[] }[] = []
    try {
      const fileMs = Math.round(statSync(ctx.path).mtimeMs)
      handler({ sink: projectSink(ctx.sink, project), runId: project.runId, stem, fileMs, skip: (reason, at) => void skipped.push({ reason, at }) }, json)
    } catch (e) {
      if (!(e instanceof LineError)) throw e
      skipped.push({ reason: e.message, at: e instanceof EntryError && e.at ? [e.at] : undefined })
    }
    report(ctx, text, skipped)
    return done
  },
}
