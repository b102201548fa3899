import { readFileSync, statSync } from 'node:fs'
import type { FormatImporter, SniffInput } from '../formats'
import { LineError } from '../records'
import { metricsSeries, metricsSnapshot, v2AgentMetrics, v2TaskMetrics } from './metrics-json'
import { projectOf, projectSink, type JsonHandler } from './project'
import { agentStore, daemonState, dotSwarmState, hiveState, routingOutcomes, swarmState, taskStore } from './v3-json'

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

function route(path: string): { handler: JsonHandler; stem: string } | null {
  const project = projectOf(path)
  if (!project) return null
  for (const [re, handler, stem] of ROUTES) {
    if (re.test(project.rel)) return { handler, stem: stem ?? project.rel.split('/').pop()!.replace(/\.json$/, '') }
  }
  return null
}

/** claude-flow v2 and v3 JSON files; every file of one project lands in one run (see project.ts). */
export const claudeFlowJsonFormat: FormatImporter = {
  format: 'claude-flow-json',
  appendOnly: false,
  sniff({ path, name, head }: SniffInput) {
    const r = name.endsWith('.json') ? route(path) : null
    if (!r) return false
    const first = head.toString('utf8', 0, 256).trimStart()[0]
    // A metrics-folder file that is not an object is none of claude-flow's snapshots: not ours.
    return first === '{' || (first === '[' && r.handler !== metricsSnapshot)
  },
  async importFile(ctx) {
    const { handler, stem } = route(ctx.path)!
    const project = projectOf(ctx.path)!
    let json: unknown
    try {
      json = JSON.parse(readFileSync(ctx.path, 'utf8'))
    } catch (e) {
      ctx.skip(null, `not valid JSON (${(e as Error).message})`)
      return { endOffset: ctx.size, lines: 0 }
    }
    try {
      handler({ sink: projectSink(ctx.sink, project), runId: project.runId, stem, fileMs: Math.round(statSync(ctx.path).mtimeMs), skip: (reason) => ctx.skip(null, reason) }, json)
    } catch (e) {
      if (e instanceof LineError) ctx.skip(null, e.message)
      else throw e
    }
    return { endOffset: ctx.size, lines: 0 }
  },
}
