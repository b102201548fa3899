import { z } from 'zod'

// The user's settings: one schema for the app's settings screen, the `config` CLI command and
// the config.* routes. Stored as config.json in the data directory (beside the database).
// Every field has a default, so an empty or partial file is a valid configuration.

const usdPerMTok = z.number().min(0).max(10_000)

/**
 * A price for the model `match` (and its snapshots, e.g. `-20250514`), or for every model whose
 * id starts with it when it ends in `*`; USD per million tokens (like resources/pricing).
 */
export const PriceOverride = z.object({
  match: z.string().min(1).max(200).regex(/^[\w.:/@-]+\*?$/, 'a model id such as claude-sonnet-4-5, or a prefix ending in * such as my-finetune-*'),
  input: usdPerMTok,
  output: usdPerMTok,
  /** Defaults follow Anthropic's multipliers: write 5m = 1.25× input, 1h = 2× input, read = 0.1× input. */
  cacheWrite5m: usdPerMTok.optional(),
  cacheWrite1h: usdPerMTok.optional(),
  cacheRead: usdPerMTok.optional(),
})
export type PriceOverride = z.infer<typeof PriceOverride>

const ruleBase = { id: z.string().min(1).max(100).regex(/^[\w.-]+$/), enabled: z.boolean().default(true) }

/** Alert rules: thresholds on a run's numbers, or statistics against a baseline. */
export const AlertRule = z.discriminatedUnion('kind', [
  /** The run's cost in USD is above `threshold`. */
  z.object({ ...ruleBase, kind: z.literal('cost-per-run'), threshold: z.number().positive() }),
  /** errors / (LLM + tool calls) is above `threshold` (0–1), with at least `minCalls` calls. */
  z.object({ ...ruleBase, kind: z.literal('error-rate'), threshold: z.number().gt(0).max(1), minCalls: z.number().int().min(1).default(10) }),
  /**
   * The run's p95 LLM latency is `thresholdPct` % above the baseline's, and a Mann–Whitney test
   * finds the run's latencies significantly slower. Baseline: `group:NAME`, a run id, or the
   * previous run (default).
   */
  z.object({
    ...ruleBase, kind: z.literal('p95-latency-regression'), thresholdPct: z.number().positive().default(20),
    baseline: z.string().min(1).optional(), alpha: z.number().gt(0).lt(1).default(0.05),
  }),
  /** At least `minCount` latency anomalies of `minSeverity` or worse (robust z-scores, see analysis). */
  z.object({ ...ruleBase, kind: z.literal('anomalies'), minSeverity: z.enum(['low', 'medium', 'high']).default('high'), minCount: z.number().int().min(1).default(1) }),
  /** The live collector dropped more than `threshold` records (needs a collector that reports drops). */
  z.object({ ...ruleBase, kind: z.literal('collector-drops'), threshold: z.number().int().min(0).default(0) }),
])
export type AlertRule = z.infer<typeof AlertRule>

export const Webhook = z.object({
  url: z.url({ protocol: /^https?$/ }),
  /** 'slack': a Slack incoming-webhook body ({text, blocks}); 'json': the alert as JSON. */
  format: z.enum(['slack', 'json']).default('json'),
  /** Extra headers, e.g. an Authorization for a generic receiver. */
  headers: z.record(z.string(), z.string()).default({}),
})
export type Webhook = z.infer<typeof Webhook>

export const AppConfig = z.object({
  pricing: z.object({ overrides: z.array(PriceOverride).default([]) }).prefault({}),
  alerts: z
    .object({
      rules: z.array(AlertRule).default([]),
      webhooks: z.array(Webhook).default([]),
      /** Delivery attempts per webhook, the first included, with exponential backoff between them. */
      attempts: z.number().int().min(1).max(10).default(4),
      backoffMs: z.number().int().min(0).max(60_000).default(500),
      timeoutMs: z.number().int().min(100).max(60_000).default(5000),
    })
    .prefault({}),
  metrics: z
    .object({
      /** Per-run series on /metrics cover only the N most recent runs, to bound label cardinality. */
      recentRuns: z.number().int().min(0).max(500).default(20),
    })
    .prefault({}),
  privacy: z
    .object({
      /** What text an import keeps when it does not say (`import --content` overrides it): none, redacted or full. */
      contentPolicy: z.enum(['none', 'redacted', 'full']).default('none'),
      /**
       * MCP at /mcp on the local host (`swarmscope serve`, the app) answers under pseudonyms, one
       * salt per host process (like `swarmscope mcp --anonymize`). Read at every MCP request, so
       * it applies without a restart; `serve --mcp-anonymize` turns it on for one process.
       */
      anonymizeMcp: z.boolean().default(false),
    })
    .prefault({}),
  server: z.object({ port: z.number().int().min(0).max(65535).default(7420) }).prefault({}),
  /**
   * Live collection in the app and `swarmscope serve` (serve's flags win over these for one run).
   * Changes apply while running: sources are added and removed without a restart.
   */
  live: z
    .object({
      /** Tail Claude Code's own projects folders (live/claude-dirs.ts: ~/.claude/projects and ~/.config/claude/projects, or $CLAUDE_CONFIG_DIR). */
      watchClaudeProjects: z.boolean().default(true),
      /** More folders to tail: claude-flow projects, transcripts kept elsewhere. */
      watch: z.array(z.string().min(1).max(4096)).max(50).default([]),
      /** claude-flow MCP WebSocket servers to poll, e.g. ws://127.0.0.1:3000/ws. */
      connect: z.array(z.string().regex(/^wss?:\/\/\S+$/, 'a ws:// or wss:// URL')).max(20).default([]),
      /** OTLP/HTTP receiver port on 127.0.0.1; null turns the receiver off. */
      otlpPort: z.number().int().min(0).max(65535).nullable().default(4318),
      /** Sample host CPU/memory and swarm processes every N ms; null: off. */
      systemIntervalMs: z.number().int().min(100).max(3_600_000).nullable().default(null),
      sampling: z
        .object({
          /** Fraction of WebSocket and OTLP spans and events kept (errors and slow spans always are). */
          rate: z.number().min(0.001).max(1).default(1),
          /** Adaptive: lower the rate while more than this many records a second arrive; null: off. */
          budgetPerSec: z.number().int().min(1).nullable().default(null),
          /** Spans at least this long are never sampled out. */
          slowMs: z.number().int().min(0).default(1000),
        })
        .prefault({}),
    })
    .prefault({}),
  ui: z.object({ theme: z.enum(['system', 'light', 'dark']).default('system') }).prefault({}),
})
export type AppConfig = z.infer<typeof AppConfig>

export const defaultConfig = (): AppConfig => AppConfig.parse({})

/** Dotted keys of every setting (leaves and arrays), e.g. `alerts.webhooks`, `server.port`. */
export function configKeys(value: unknown = defaultConfig(), prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix]
  return Object.entries(value).flatMap(([k, v]) => configKeys(v, prefix ? `${prefix}.${k}` : k))
}

export function getConfigValue(config: AppConfig, key: string): unknown {
  let cur: unknown = config
  for (const part of key.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !(part in cur)) throw new Error(`unknown setting "${key}"`)
    cur = (cur as Record<string, unknown>)[part]
  }
  return cur
}

/** A copy of `config` with `key` set to `value` (undefined restores the default); validated, throws with the first problem. */
export function setConfigValue(config: AppConfig, key: string, value: unknown): AppConfig {
  getConfigValue(defaultConfig(), key) // the key must exist in the schema
  const next = structuredClone(config) as Record<string, unknown>
  const parts = key.split('.')
  let cur = next
  for (const part of parts.slice(0, -1)) cur = cur[part] as Record<string, unknown>
  if (value === undefined) delete cur[parts[parts.length - 1]]
  else cur[parts[parts.length - 1]] = value
  const parsed = AppConfig.safeParse(next)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`invalid value for ${key}: ${issue.path.join('.') || key}: ${issue.message}`)
  }
  return parsed.data
}
