import { copyFileSync, cpSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { MAX_JSON_DOCUMENT_BYTES } from '../../src/core/ingest/json-document'
import { tempDb, tempDir } from '../helpers/temp'
import { FIXTURES } from './ingest-helpers'

/**
 * A file that starts as `head` and is `bytes` long: the rest is a hole (no disk used, zeros if
 * read). Past ~512 MB its text cannot be one JavaScript string.
 */
function hugeFile(path: string, head: string, bytes: number): void {
  writeFileSync(path, head)
  truncateSync(path, bytes)
}

describe('JSON documents too large to read whole', () => {
  it('are listed as skipped, named, and every other file of the import is read', async () => {
    const dir = tempDir()
    const bytes = 600 * 1024 * 1024
    expect(bytes).toBeGreaterThan(MAX_JSON_DOCUMENT_BYTES)
    // A pretty-printed OTLP request (its first line is not JSON alone, so it is one document).
    const otlp = join(dir, 'huge-trace.json')
    hugeFile(otlp, '{\n  "resourceSpans": [\n', bytes)
    // A claude-flow metrics file of that size, beside a real one of the same project.
    const metrics = join(dir, 'swarm', '.claude-flow', 'metrics')
    mkdirSync(metrics, { recursive: true })
    const performance = join(metrics, 'performance.json')
    hugeFile(performance, '{\n  "startTime": ', bytes)
    copyFileSync(join(FIXTURES, 'claude-flow/v2.0-alpha_Agentist-Elder/.claude-flow/metrics/task-metrics.json'), join(metrics, 'task-metrics.json'))
    copyFileSync(join(FIXTURES, 'otlp/opentelemetry-proto_examples_trace.json'), join(dir, 'trace.json'))
    cpSync(join(FIXTURES, 'claude-code-jsonl/claude-code-log/minimal_showcase'), join(dir, 'claude'), { recursive: true })

    const core = createCore({ path: tempDb() })
    const r = await core.call('import.paths', { paths: [dir] })
    core.close()
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const reason = 'too large to read as one JSON document (600 MB; at most 256 MB)'
    const byFile = (a: { file: string }, b: { file: string }) => a.file.localeCompare(b.file)
    expect([...r.data.skipped].sort(byFile)).toEqual(
      [
        { file: otlp, line: null, reason: `${reason}; as one request per line (what the Collector's file exporter writes) it would be read in constant memory` },
        { file: performance, line: null, reason },
      ].sort(byFile),
    )
    // The OTLP example, the transcript and the claude-flow project (from its task metrics) are all stored.
    const sources = r.data.runs.map((run) => run.format).sort()
    expect(sources).toEqual(['claude-code-jsonl', 'claude-flow', 'otlp-json'])
  })
})
