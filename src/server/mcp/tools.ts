import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { z } from 'zod'
import type { Core } from '../../core'
import type { RouteInput, RouteName, RouteOutput } from '../../shared/contract'
import { usd } from '../../shared/format'
import { VERSION } from '../../shared/version'
import { performanceMarkdown } from './report'

// The MCP server: tools an agent (Claude Code, claude-flow) calls to ask about its own past
// runs. Every answer comes from the core's routes, the same numbers as the UI, the REST API
// and the CLI; nothing is computed here that the analysis engine does not already compute.

class ToolError extends Error {}

/** What the tools call: the core, or an anonymized view of it (`swarmscope mcp --anonymize`). */
export type CoreCaller = Pick<Core, 'call'>

async function call<R extends RouteName>(core: CoreCaller, route: R, input: RouteInput<R>): Promise<RouteOutput<R>> {
  const r = await core.call(route, input)
  if (!r.ok) throw new ToolError(r.error.message)
  return r.data
}

/** A tool result: a one-line gist for people, the data as JSON for the model, and structuredContent for programs. */
function answer(gist: string, data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: gist }, { type: 'text', text: JSON.stringify(data) }], structuredContent: data }
}

function guarded<A>(fn: (args: A) => Promise<CallToolResult>): (args: A) => Promise<CallToolResult> {
  return async (args) => {
    try {
      return await fn(args)
    } catch (e) {
      return { isError: true, content: [{ type: 'text', text: (e as Error).message }] }
    }
  }
}

const run = z.string().min(1).default('latest').describe("a run id, or 'latest' (default)")
const top = z.number().int().min(1).max(100).default(5).describe('how many items to list')
const readOnly = { readOnlyHint: true, openWorldHint: false }

export function createMcpServer(core: CoreCaller): McpServer {
  const server = new McpServer(
    { name: 'swarmscope', version: VERSION },
    { instructions: "Swarmscope profiles AI-agent runs (Claude Code sessions with subagents, claude-flow swarms, OpenTelemetry agents) stored on this machine. Start with list_runs; every other tool takes a run id or 'latest'." },
  )

  server.registerTool('list_runs', {
    description: 'List stored runs, newest first, with duration, calls, tokens and cost.',
    inputSchema: { group: z.string().min(1).optional().describe('only runs of this group'), limit: z.number().int().min(1).max(1000).default(20) },
    annotations: readOnly,
  }, guarded(async ({ group, limit }) => {
    const runs = await call(core, 'runs.list', { group, limit })
    return answer(`${runs.length} runs${group ? ` in group ${group}` : ''}`, { runs })
  }))

  server.registerTool('run_summary', {
    description: 'One run at a glance: totals, wall time, LLM latency percentiles, cache, parallelism, anomaly and insight counts.',
    inputSchema: { run },
    annotations: readOnly,
  }, guarded(async ({ run: ref }) => {
    const summary = await call(core, 'runs.get', { id: ref })
    const a = await call(core, 'analysis.run', { id: summary.id })
    const l = a.llm.latencyMs.summary
    const data = {
      run: summary,
      wallMs: a.structure.wallMs,
      llmLatencyMs: { count: l.count, p50: l.p50, p95: l.p95, p99: l.p99, mean: l.mean },
      cache: a.cache,
      concurrency: a.structure.concurrency,
      anomalies: a.anomalies.length,
      insights: a.insights.map((i) => ({ rank: i.rank, title: i.title, confidence: i.confidence })),
    }
    return answer(`${summary.name} (${summary.id}): ${summary.llmCalls} LLM calls, ${summary.toolCalls} tool calls, ${summary.errors} errors, ${usd(summary.costUsd)}`, data)
  }))

  server.registerTool('agent_breakdown', {
    description: "Per-agent attribution of a run: each agent's own tokens, calls and cost, and rolled up with its subagents.",
    inputSchema: { run },
    annotations: readOnly,
  }, guarded(async ({ run: ref }) => {
    const a = await call(core, 'analysis.run', { id: ref })
    return answer(`${a.attribution.byAgent.length} agents in ${a.runId}`, { runId: a.runId, totalCostUsd: a.attribution.totalCostUsd, agents: a.attribution.byAgent })
  }))

  server.registerTool('find_bottlenecks', {
    description: 'Where the wall time went: the critical path by kind and agent, its longest segments, and the slowest tools by p95 latency.',
    inputSchema: { run, top },
    annotations: readOnly,
  }, guarded(async ({ run: ref, top: n }) => {
    const a = await call(core, 'analysis.run', { id: ref })
    const cp = a.structure.criticalPath
    const longest = [...cp.segments].sort((x, y) => y.endMs - y.startMs - (x.endMs - x.startMs)).slice(0, n).map((s) => ({ ...s, ms: s.endMs - s.startMs }))
    const slowestTools = [...a.tools].sort((x, y) => (y.summary.p95 ?? -1) - (x.summary.p95 ?? -1)).slice(0, n)
      .map((t) => ({ tool: t.tool, calls: t.summary.count, p50Ms: t.summary.p50, p95Ms: t.summary.p95, totalMs: t.summary.sum, errors: t.errors }))
    const data = { runId: a.runId, wallMs: a.structure.wallMs, criticalPath: { byKind: cp.byKind, byAgent: cp.byAgent, longestSegments: longest }, slowestTools }
    return answer(`critical path of ${a.runId}: ${cp.byKind.map((k) => `${k.kind} ${Math.round(k.ms)} ms`).join(', ')}`, data)
  }))

  server.registerTool('detect_anomalies', {
    description: 'Unusually slow LLM and tool calls of a run (robust modified z-scores within comparable calls).',
    inputSchema: { run, minSeverity: z.enum(['low', 'medium', 'high']).default('low') },
    annotations: readOnly,
  }, guarded(async ({ run: ref, minSeverity }) => {
    const a = await call(core, 'analysis.run', { id: ref })
    const rank = { low: 0, medium: 1, high: 2 }
    const anomalies = a.anomalies.filter((x) => rank[x.severity] >= rank[minSeverity])
    return answer(`${anomalies.length} anomalies in ${a.runId}`, { runId: a.runId, anomalies })
  }))

  server.registerTool('compare_runs', {
    description: "Compare a baseline with one or more candidates (runs or 'group:NAME') metric by metric, with significance tests (Mann–Whitney or Welch, Holm-adjusted), effect sizes and a verdict per metric.",
    inputSchema: {
      baseline: z.string().min(1).describe("run id, 'latest' or 'group:NAME'"),
      candidates: z.array(z.string().min(1)).min(1).max(8),
      alpha: z.number().gt(0).lt(1).optional(),
      test: z.enum(['mann-whitney', 'welch']).optional(),
    },
    annotations: readOnly,
  }, guarded(async ({ baseline, candidates, alpha, test }) => {
    const out = await call(core, 'compare.runs', { baseline, candidates, alpha, test })
    const comparisons = out.comparisons.map((c) => ({
      baselineRef: c.baselineRef, candidateRef: c.candidateRef, mode: c.mode, preferred: c.ranking.preferred, score: c.ranking.score,
      metrics: c.metrics.map((m) => ({
        metric: m.metric, label: m.label, unit: m.unit, baselineMean: m.baseline.mean, candidateMean: m.candidate.mean,
        baselineP95: m.baseline.p95, candidateP95: m.candidate.p95, changePct: m.changePct, pValue: m.pValue, test: m.test,
        cliffsDelta: m.cliffsDelta, verdict: m.verdict,
      })),
      recommendations: c.recommendations,
    }))
    const gist = comparisons.map((c) => `${c.candidateRef} vs ${c.baselineRef}: ${c.metrics.filter((m) => m.verdict === 'regressed').length} regressed, ${c.metrics.filter((m) => m.verdict === 'improved').length} improved`).join('; ')
    return answer(gist, { comparisons })
  }))

  server.registerTool('performance_report', {
    description: 'A performance report of a run in Markdown: summary, agents, bottlenecks, anomalies and insights.',
    inputSchema: { run, top },
    annotations: readOnly,
  }, guarded(async ({ run: ref, top: n }) => {
    const summary = await call(core, 'runs.get', { id: ref })
    const markdown = performanceMarkdown(summary, await call(core, 'analysis.run', { id: summary.id }), n)
    return { content: [{ type: 'text', text: markdown }], structuredContent: { runId: summary.id, markdown } }
  }))

  server.registerTool('token_usage', {
    description: 'Tokens of a run: totals by type (input, output, cache write, cache read), per agent and per model.',
    inputSchema: { run },
    annotations: readOnly,
  }, guarded(async ({ run: ref }) => {
    const o = await call(core, 'runs.overview', { id: ref })
    const a = await call(core, 'analysis.run', { id: o.run.id })
    const r = o.run
    const totals = { inputTokens: r.inputTokens, outputTokens: r.outputTokens, cacheCreationTokens: r.cacheCreationTokens, cacheReadTokens: r.cacheReadTokens, totalTokens: r.inputTokens + r.outputTokens + r.cacheCreationTokens + r.cacheReadTokens }
    const byAgent = o.agents.map((g) => ({ agentId: g.id, name: g.name, inputTokens: g.inputTokens, outputTokens: g.outputTokens, cacheCreationTokens: g.cacheCreationTokens, cacheReadTokens: g.cacheReadTokens, llmCalls: g.llmCalls }))
    const byModel = a.attribution.byModel.map((m) => ({ model: m.model, inputTokens: m.inputTokens, outputTokens: m.outputTokens, cacheCreationTokens: m.cacheCreationTokens, cacheReadTokens: m.cacheReadTokens, totalTokens: m.totalTokens, llmCalls: m.llmCalls }))
    return answer(`${r.id}: ${totals.totalTokens} tokens (${r.outputTokens} output)`, { runId: r.id, totals, byAgent, byModel, cacheHitRatio: a.cache.hitRatio })
  }))

  server.registerTool('cost_analysis', {
    description: 'Cost of a run in USD by model and by agent, cache savings, unpriced models, and the cost the source itself reported.',
    inputSchema: { run },
    annotations: readOnly,
  }, guarded(async ({ run: ref }) => {
    const summary = await call(core, 'runs.get', { id: ref })
    const a = await call(core, 'analysis.run', { id: summary.id })
    const pricing = await call(core, 'pricing.get', {})
    const data = {
      runId: summary.id,
      costUsd: summary.costUsd,
      reportedCostUsd: summary.reportedCostUsd,
      unpricedModels: summary.unpricedModels,
      byModel: a.attribution.byModel.map((m) => ({ model: m.model, costUsd: m.costUsd, shareOfCost: m.shareOfCost, llmCalls: m.llmCalls, unpricedCalls: m.unpricedCalls })),
      byAgent: a.attribution.byAgent.map((g) => ({ agentId: g.agentId, name: g.name, ownCostUsd: g.own.costUsd, rolledUpCostUsd: g.rolledUp.costUsd, shareOfCost: g.shareOfCost })),
      cache: { hitRatio: a.cache.hitRatio, savedUsd: a.cache.savedUsd },
      priceTable: pricing.version,
    }
    return answer(`${summary.id}: ${usd(summary.costUsd)}${summary.unpricedModels.length ? ` (unpriced: ${summary.unpricedModels.join(', ')})` : ''}`, data)
  }))

  return server
}
