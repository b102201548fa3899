import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/temp'
import { BIN } from '../integrations/swarm-fixture'
import { importPlanted, leaks, mcpTools, ndjsonTotals, ok, pdfText } from './outputs'

// --anonymize through the real processes: the CLI writing files (and the mapping, only when
// asked), and `swarmscope mcp --anonymize` answering the official MCP SDK client.


const cli = (db: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], { encoding: 'utf8', timeout: 120_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('swarmscope … --anonymize (CLI process)', () => {
  it('writes reports, exports and bundles without names or secrets, the same as the route with that salt', { timeout: 180_000 }, async () => {
    const { core, db, t, id, secrets, names } = await importPlanted()
    try {
      const out = tempDir()
      const report = cli(db, 'report', t.runId, '--anonymize', '--salt', 'team', '--out', join(out, 'shared.md'), '--mapping', join(out, 'mapping.json'))
      expect(report.code, report.stderr).toBe(0)
      const pdf = cli(db, 'report', `group:${id.group}`, '--anonymize', '--out', join(out, 'group.pdf'))
      expect(pdf.code, pdf.stderr).toBe(0)
      const csv = cli(db, 'export', t.runId, id.runId, '--format', 'csv', '--anonymize', '--salt', 'team', '-o', join(out, 'spans.csv'))
      expect(csv.code, csv.stderr).toBe(0)
      const nd = cli(db, 'export', `group:${id.group}`, '--anonymize', '--salt', 'team')
      expect(nd.code, nd.stderr).toBe(0)
      const bundle = cli(db, 'bundle', 'export', t.runId, '--anonymize', '--out', join(out, 'shared.swarmscope'))
      expect(bundle.code, bundle.stderr).toBe(0)

      const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && f.name !== 'mapping.json').map((f) => join(f.parentPath, f.name))
      expect(files.some((f) => f.endsWith('.svg'))).toBe(true) // the Markdown report's charts
      const outputs = files.map((f) => ({ name: f, text: f.endsWith('.pdf') ? pdfText(readFileSync(f).toString('base64')) : readFileSync(f, 'utf8'), bytes: readFileSync(f) }))
      outputs.push({ name: 'stdout ndjson', text: nd.stdout, bytes: Buffer.from(nd.stdout) })
      expect(leaks(outputs, [...secrets, ...names])).toEqual([])
      expect(outputs.find((o) => o.name.endsWith('group.pdf'))!.text).toMatch(/Full report: group group-[0-9a-f]{4}/)

      // The same salt in-process gives the same file, byte for byte; totals equal the plain export's.
      const viaRoute = await ok(core, 'export.runs', { runs: [t.runId, id.runId], format: 'csv', anonymize: { salt: 'team' } })
      expect(readFileSync(join(out, 'spans.csv'), 'utf8')).toBe(viaRoute.content)
      const plain = await ok(core, 'export.runs', { runs: [`group:${id.group}`], format: 'ndjson' })
      expect(ndjsonTotals(nd.stdout)).toEqual(ndjsonTotals(plain.content))

      // The mapping is written only where asked, and it is the key to the pseudonyms in the report.
      const mapping = JSON.parse(readFileSync(join(out, 'mapping.json'), 'utf8')) as { kind: string; value: string; pseudonym: string }[]
      const run = mapping.find((m) => m.kind === 'run' && m.value === t.runId)!
      expect(readFileSync(join(out, 'shared.md'), 'utf8')).toContain(`# Full report: ${run.pseudonym}`)
    } finally {
      core.close()
    }
  })

  it('says what is wrong with the flags', async () => {
    const { core, db, t } = await importPlanted()
    core.close()
    const stray = cli(db, 'export', t.runId, '--salt', 'x')
    expect(stray.code).toBe(2)
    expect(stray.stderr).toContain('--salt only apply with --anonymize')
    const empty = cli(db, 'report', t.runId, '--anonymize', '--salt', '')
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('--salt must not be empty')
  }, 60_000)
})

describe('swarmscope mcp --anonymize (official SDK client over stdio)', () => {
  it('answers under pseudonyms, one salt per session, with the real numbers', { timeout: 120_000 }, async () => {
    const { core, db, t, secrets, names } = await importPlanted()
    const client = new Client({ name: 'swarmscope-test', version: '1.0.0' })
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, '--db', db, 'mcp', '--anonymize'], stderr: 'pipe' }))
    const { tool, answers } = mcpTools(client)
    try {
      const runs = (await tool('list_runs')).runs as { id: string; name: string; group: string; costUsd: number; inputTokens: number }[]
      const real = await ok(core, 'runs.list', {})
      expect(runs.map((r) => [r.costUsd, r.inputTokens])).toEqual(real.map((r) => [r.costUsd, r.inputTokens]))
      const cc = runs[real.findIndex((r) => r.id === t.runId)]
      expect(cc.id).toMatch(/^run-[0-9a-f]{4,}$/)

      // The agent asks about the pseudonym it was given, and gets the same one back.
      const summary = await tool('run_summary', { run: cc.id })
      expect(summary.run.id).toBe(cc.id)
      const a = await ok(core, 'analysis.run', { id: t.runId })
      expect(summary.llmLatencyMs.p95).toBe(a.llm.latencyMs.summary.p95)
      expect(summary.wallMs).toBe(a.structure.wallMs)
      const tokens = await tool('token_usage', { run: cc.id })
      const r = await ok(core, 'runs.get', { id: t.runId })
      expect(tokens.totals.outputTokens).toBe(r.outputTokens)
      const agents = (await tool('agent_breakdown', { run: cc.id })).agents as { agentId: string; own: { costUsd: number } }[]
      expect(agents.map((g) => g.own.costUsd).sort((x, y) => x - y)).toEqual(a.attribution.byAgent.map((g) => g.own.costUsd).sort((x, y) => x - y))
      expect((await tool('cost_analysis', { run: cc.id })).costUsd).toBe(r.costUsd)
      await tool('find_bottlenecks', { run: 'latest' })
      await tool('detect_anomalies', { run: cc.id })
      const md = await tool('performance_report', { run: cc.id })
      expect(md.markdown).toContain(`Run \`${cc.id}\``)
      const group = runs[0].group
      expect(group).toMatch(/^group-[0-9a-f]{4,}$/)
      expect((await tool('list_runs', { group })).runs).toHaveLength(2)
      const cmp = await tool('compare_runs', { baseline: cc.id, candidates: [runs.find((x) => x.id !== cc.id)!.id] })
      expect(cmp.comparisons).toHaveLength(1)
      // The same pseudonym in a later answer: one salt for the session.
      expect((await tool('list_runs')).runs[0].id).toBe(runs[0].id)

      expect(leaks([{ name: 'mcp answers', text: answers.join('\n') }], [...secrets, ...names])).toEqual([])
      // A real id is not a way around the pseudonyms.
      const byRealId = await client.callTool({ name: 'run_summary', arguments: { run: t.runId } })
      expect(byRealId.isError).toBe(true)
    } finally {
      await client.close()
      core.close()
    }
  })
})
