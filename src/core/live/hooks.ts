import { createHash } from 'node:crypto'
import type { HookDelivery } from '../../shared/live-dto'
import type { NdjsonRecord } from '../ingest/ndjson/schema'
import { redactPath } from '../privacy/redact'

// Claude Code hooks (https://docs.claude.com/en/docs/claude-code/hooks) → the data model.
// Hook input is JSON on stdin: session_id, transcript_path, cwd, hook_event_name and per-event
// fields (tool_name, tool_use_id, agent_id, agent_type, …). Ids match the transcript importer
// (run `cc-<session>`, tool span `tool:<tool_use_id>`, agent span `agent:<id>`), so hooks and
// a tailed transcript of the same session land on the same rows. No prompt, tool input or
// tool output text is kept.

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v.slice(0, 500) : null)

/** Hook fields kept as event attributes: names and ids only, never text. */
const KEPT = ['tool_name', 'tool_use_id', 'agent_id', 'agent_type', 'notification_type', 'source', 'reason', 'trigger', 'permission_mode', 'model'] as const

export interface MappedHooks {
  records: NdjsonRecord[]
  /** Deliveries that are not hook payloads (no hook_event_name), with why. */
  rejected: { index: number; reason: string }[]
}

function runName(sessionId: string, cwd: string | null): string {
  const last = cwd ? redactPath(cwd).split(/[\\/]/).filter(Boolean).pop() : undefined
  const project = last && last !== '~' && !last.includes('REDACTED') ? last : null
  return `${project ?? 'session'} · ${sessionId.slice(0, 8)}`
}

export function mapHookDeliveries(deliveries: readonly HookDelivery[]): MappedHooks {
  const records: NdjsonRecord[] = []
  const rejected: MappedHooks['rejected'] = []
  const runs = new Set<string>()
  deliveries.forEach(({ ts, hook }, index) => {
    const event = str(hook.hook_event_name)
    if (!event) return rejected.push({ index, reason: 'no hook_event_name: not a Claude Code hook payload' })
    const sessionId = str(hook.session_id) ?? 'unknown'
    const runId = `cc-${sessionId}`
    if (!runs.has(runId)) {
      runs.add(runId)
      records.push({ type: 'run', record: { id: runId, source: 'claude-code', format: 'claude-code-hooks', name: runName(sessionId, str(hook.cwd)), attrs: { sessionId } } })
    }
    const agentId = str(hook.agent_id)
    const agentType = str(hook.agent_type)
    const toolUseId = str(hook.tool_use_id)
    const toolName = str(hook.tool_name)
    if (agentId) records.push({ type: 'agent', record: { runId, id: agentId, type: agentType } })
    const attrs: Record<string, unknown> = {}
    for (const k of KEPT) if (str(hook[k])) attrs[k] = str(hook[k])
    const failed = event === 'PostToolUseFailure'
    // The delivery (time and payload) is the identity: a delivery spooled and sent again is stored once.
    const id = `hook:${createHash('sha1').update(`${ts}\u0000${JSON.stringify(hook)}`).digest('hex').slice(0, 24)}`
    records.push({ type: 'event', record: { runId, id, ts, name: `hook.${event}`, severity: failed ? 'error' : null, agentId, attrs } })

    if (toolUseId && (event === 'PreToolUse' || event === 'PostToolUse' || failed)) {
      const span = { runId, id: `tool:${toolUseId}`, kind: 'tool' as const, name: toolName ?? 'tool', agentId, attrs: { hooks: true } }
      if (event === 'PreToolUse') records.push({ type: 'span', record: { ...span, startMs: ts, status: 'unset' } })
      else records.push({ type: 'span', record: { ...span, endMs: ts, status: failed ? 'error' : 'ok', error: failed ? 'tool failed (hook)' : null } })
    }
    if (agentId && event === 'SubagentStart') {
      records.push({ type: 'span', record: { runId, id: `agent:${agentId}`, kind: 'agent', name: agentId, agentId, startMs: ts, status: 'unset' } })
    }
    if (agentId && event === 'SubagentStop') {
      records.push({ type: 'span', record: { runId, id: `agent:${agentId}`, kind: 'agent', name: agentId, agentId, endMs: ts, status: 'ok' } })
    }
  })
  return { records, rejected }
}
