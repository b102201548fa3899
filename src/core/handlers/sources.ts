import { existsSync, readdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { formats } from '../ingest/registry'
import type { HandlersFor } from './types'

// What each reader takes; keyed by the importer's format name so a new importer shows up
// (with a plain description) without editing this file.
const DESCRIPTIONS: Record<string, { name: string; description: string }> = {
  'claude-code-jsonl': { name: 'Claude Code transcripts', description: '~/.claude/projects/<project>/<session>.jsonl and its subagents/ folder' },
  'swarmscope-ndjson': { name: 'Swarmscope NDJSON', description: 'runs, agents, spans, events and metrics, one JSON record per line (docs/formats/ndjson.md)' },
  'claude-flow-json': { name: 'claude-flow metrics', description: '.claude-flow/metrics/*.json of claude-flow v2 and v3' },
  'claude-flow-sqlite': { name: 'claude-flow databases', description: '.swarm/memory.db and .hive-mind/hive.db, read from a scratch copy' },
  'otlp-json': { name: 'OpenTelemetry (OTLP/JSON)', description: 'traces, metrics and logs as OTLP/JSON, one request per file or per line' },
}

function entries(path: string): number | null {
  try {
    return readdirSync(path).length
  } catch {
    return null
  }
}

export const sourceHandlers = (): HandlersFor<'sources'> => ({
  'sources.list': () => {
    const places = [
      { name: 'Claude Code projects', path: join(homedir(), '.claude', 'projects') },
      { name: 'claude-flow (this folder)', path: join(process.cwd(), '.claude-flow') },
      { name: 'claude-flow swarm memory (this folder)', path: join(process.cwd(), '.swarm') },
      { name: 'claude-flow hive-mind (this folder)', path: join(process.cwd(), '.hive-mind') },
    ]
    return {
      formats: formats.map((f) => ({ format: f.format, ...(DESCRIPTIONS[f.format] ?? { name: f.format, description: f.format }) })),
      locations: places.map((p) => ({ ...p, exists: existsSync(p.path), entries: entries(p.path) })),
    }
  },
})
