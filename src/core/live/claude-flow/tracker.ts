import { isObj, type MetricRecord } from '../../ingest/records'
import type { NdjsonRecord } from '../../ingest/ndjson/schema'

// Turns what claude-flow's MCP tools answer (swarm_status, agent_list, task_list,
// system/metrics; shapes as claude-flow 3.43 returns them) into records of one live run.
// The server pushes nothing, so changes are found by comparing one poll with the last:
// an agent's span opens at its createdAt and closes when it leaves the list; a task's span
// closes when it reaches a final status; each status change is an event. Task descriptions
// are prompts and are not kept.

export interface PollResult {
  at: number
  swarm?: unknown
  agents?: unknown
  tasks?: unknown
  metrics?: unknown
  /** Our own measurement: how long each tool took to answer. */
  latencyMs?: Record<string, number>
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v.slice(0, 200) : null)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const time = (v: unknown): number | null => {
  const ms = typeof v === 'string' ? Date.parse(v) : NaN
  return Number.isFinite(ms) ? ms : null
}
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/[^\w.]/g, '_')
const FINAL: Record<string, 'ok' | 'error'> = { completed: 'ok', done: 'ok', failed: 'error', error: 'error', cancelled: 'error', canceled: 'error' }
const MAX_SAMPLES = 300

export class SwarmTracker {
  private readonly agents = new Map<string, string>()
  private readonly tasks = new Map<string, string>()
  private swarmId: string | null = null
  private runWritten = false

  constructor(
    readonly runId: string,
    private readonly url: string,
  ) {}

  records(poll: PollResult): NdjsonRecord[] {
    const { at } = poll
    const runId = this.runId
    const out: NdjsonRecord[] = []
    const metrics: MetricRecord[] = []
    const put = (name: string, value: number | null, unit: string | null, labels?: Record<string, string>) => {
      if (value !== null && metrics.length < MAX_SAMPLES) metrics.push({ runId, name, unit, ts: at, value, labels })
    }
    const swarm = isObj(poll.swarm) ? poll.swarm : null
    const swarmId = swarm ? str(swarm.swarmId) : null
    if (!this.runWritten || (swarmId && swarmId !== this.swarmId)) {
      const config = swarm && isObj(swarm.config) ? swarm.config : {}
      this.swarmId = swarmId ?? this.swarmId
      out.push({
        type: 'run',
        record: {
          id: runId, source: 'claude-flow', format: 'claude-flow-live', name: `claude-flow live · ${this.url.replace(/^wss?:\/\//, '')}`,
          attrs: { url: this.url, swarmId: this.swarmId, topology: str(swarm?.topology), strategy: str(config.strategy), maxAgents: num(swarm?.maxAgents) },
        },
      })
      this.runWritten = true
    }
    if (swarm) {
      put('claude_flow.swarm.agents', num(swarm.agentCount), '1')
      put('claude_flow.swarm.tasks', num(swarm.taskCount), '1')
      put('claude_flow.swarm.max_agents', num(swarm.maxAgents), '1')
    }
    if (isObj(poll.agents) && Array.isArray(poll.agents.agents)) this.trackAgents(poll.agents.agents, at, out, put)
    if (isObj(poll.tasks) && Array.isArray(poll.tasks.tasks)) this.trackTasks(poll.tasks.tasks, at, out, put)
    if (isObj(poll.metrics)) {
      for (const [k, v] of Object.entries(poll.metrics)) {
        if (typeof v === 'number') put(`claude_flow.mcp.${snake(k)}`, num(v), /time/i.test(k) ? 'ms' : null)
        else if (isObj(v)) for (const [sub, x] of Object.entries(v)) put(`claude_flow.mcp.${snake(k)}`, num(x), null, { name: sub.slice(0, 100) })
      }
    }
    for (const [tool, ms] of Object.entries(poll.latencyMs ?? {})) put('swarmscope.claude_flow.poll_ms', Math.round(ms * 100) / 100, 'ms', { tool })
    for (const record of metrics) out.push({ type: 'metric', record })
    return out
  }

  private trackAgents(list: unknown[], at: number, out: NdjsonRecord[], put: (n: string, v: number | null, u: string | null, l?: Record<string, string>) => void): void {
    const runId = this.runId
    const present = new Set<string>()
    const byStatus = new Map<string, number>()
    for (const a of list) {
      if (!isObj(a)) continue
      const id = str(a.agentId) ?? str(a.id)
      if (!id) continue
      present.add(id)
      const status = str(a.status) ?? 'unknown'
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1)
      const type = str(a.agentType) ?? str(a.type)
      const before = this.agents.get(id)
      if (before === undefined) {
        out.push({ type: 'agent', record: { runId, id, type, attrs: { model: str(a.model) } } })
        out.push({ type: 'span', record: { runId, id: `agent:${id}`, kind: 'agent', name: type ?? id, agentId: id, startMs: time(a.createdAt) ?? at, status: 'unset' } })
      }
      if (before !== status) out.push({ type: 'event', record: { runId, id: `agent:${id}:${status}:${at}`, ts: at, name: before === undefined ? 'agent.spawned' : 'agent.status', agentId: id, attrs: { status } } })
      this.agents.set(id, status)
      put('claude_flow.agent.health', num(a.health), '1', { agent: id })
    }
    for (const [id] of this.agents) {
      if (present.has(id)) continue
      this.agents.delete(id)
      out.push({ type: 'span', record: { runId, id: `agent:${id}`, kind: 'agent', name: id, agentId: id, endMs: at, status: 'ok' } })
      out.push({ type: 'event', record: { runId, id: `agent:${id}:gone:${at}`, ts: at, name: 'agent.terminated', agentId: id } })
    }
    for (const [status, n] of byStatus) put('claude_flow.agents', n, '1', { status })
  }

  private trackTasks(list: unknown[], at: number, out: NdjsonRecord[], put: (n: string, v: number | null, u: string | null, l?: Record<string, string>) => void): void {
    const runId = this.runId
    const byStatus = new Map<string, number>()
    for (const t of list) {
      if (!isObj(t)) continue
      const id = str(t.taskId) ?? str(t.id)
      if (!id) continue
      const status = str(t.status) ?? 'unknown'
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1)
      const before = this.tasks.get(id)
      if (before === status) continue
      this.tasks.set(id, status)
      const assigned = Array.isArray(t.assignedTo) ? str(t.assignedTo[0]) : str(t.assignedTo)
      const final = FINAL[status]
      out.push({
        type: 'span',
        record: {
          runId, id: `task:${id}`, kind: 'task', name: str(t.type) ?? 'task', agentId: assigned,
          startMs: time(t.startedAt) ?? time(t.createdAt) ?? at, endMs: final ? (time(t.completedAt) ?? at) : null,
          status: final ?? 'unset', error: final === 'error' ? status : null, attrs: { priority: str(t.priority), taskStatus: status },
        },
      })
      out.push({ type: 'event', record: { runId, id: `task:${id}:${status}:${at}`, ts: at, name: before === undefined ? 'task.created' : 'task.status', agentId: assigned, attrs: { taskId: id, status, progress: num(t.progress) } } })
    }
    for (const [status, n] of byStatus) put('claude_flow.tasks', n, '1', { status })
  }
}
