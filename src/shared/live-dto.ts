import { z } from 'zod'

// Live collection (issue 7): what `live.health`, `swarmscope health` and the `live.*` push
// events carry. Counts are records of the data model (runs, agents, spans, events, samples).

export const LiveSourceKind = z.enum(['ws', 'otlp', 'hook', 'spool', 'claude-flow', 'tail', 'system'])
export type LiveSourceKind = z.infer<typeof LiveSourceKind>

/**
 * listening: a receiver waiting for clients; connected: a connector talking to its server;
 * retrying: a connector waiting to reconnect; failed: gave up or could not start; idle: a
 * watcher or sampler with nothing to do right now; stopped: closed.
 */
export const LiveSourceState = z.enum(['starting', 'listening', 'connected', 'idle', 'retrying', 'failed', 'stopped'])
export type LiveSourceState = z.infer<typeof LiveSourceState>

export const LiveSourceHealth = z.object({
  id: z.string(),
  kind: LiveSourceKind,
  label: z.string(),
  state: LiveSourceState,
  /** When the state last changed (epoch ms). */
  since: z.number(),
  /** Records received (before sampling and validation). */
  received: z.number(),
  /** Records committed to the store. */
  written: z.number(),
  /** Records refused as invalid (reported back to the sender). */
  rejected: z.number(),
  /** Records left out by sampling (see `sampling`); kept records carry the rate. */
  sampledOut: z.number(),
  /** Lost for good: only OTLP requests over the size limit (answered 413), one per request (their records are never read). */
  dropped: z.number(),
  /** Records committed per second over the last few seconds. */
  ratePerSec: z.number(),
  /** Records queued for the store and not yet committed. */
  queueDepth: z.number(),
  queueCapacity: z.number(),
  /** True while reading from this source is held back because its queue is full. */
  paused: z.boolean(),
  lastRecordAt: z.number().nullable(),
  lastError: z.object({ at: z.number(), message: z.string() }).nullable(),
  /** For connectors waiting to reconnect. */
  retry: z.object({ attempt: z.number(), nextAt: z.number() }).nullable(),
  /** Source-specific facts: address, clients connected, files watched, pids sampled… */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
})
export type LiveSourceHealth = z.infer<typeof LiveSourceHealth>

export const LiveSampling = z.object({
  /** The configured uniform rate (1 keeps everything). */
  baseRate: z.number(),
  /** The rate in force now: lower than baseRate while the adaptive budget is exceeded. */
  rate: z.number(),
  /** Records per second the adaptive sampler aims to stay under; null when off. */
  budgetPerSec: z.number().nullable(),
  /** Spans at least this long are always kept, as are errors. */
  slowMs: z.number(),
})
export type LiveSampling = z.infer<typeof LiveSampling>

export const LiveHealth = z.object({
  at: z.number(),
  startedAt: z.number(),
  sources: z.array(LiveSourceHealth),
  writer: z.object({
    queueDepth: z.number(),
    queueCapacity: z.number(),
    batches: z.number(),
    records: z.number(),
    failedBatches: z.number(),
    lastCommitMs: z.number().nullable(),
    lastCommitAt: z.number().nullable(),
    /** The next commit waits for another process writing to the store (an import in a terminal, a second host). */
    waitingForStore: z.boolean(),
  }),
  sampling: LiveSampling,
  totals: z.object({ received: z.number(), written: z.number(), rejected: z.number(), sampledOut: z.number(), dropped: z.number() }),
})
export type LiveHealth = z.infer<typeof LiveHealth>

/** Runs that received live records since the previous push (at most a few pushes a second). */
export const LiveRunUpdate = z.object({
  at: z.number(),
  runs: z.array(z.object({ runId: z.string(), records: z.number(), lastRecordAt: z.number(), sources: z.array(z.string()) })),
})
export type LiveRunUpdate = z.infer<typeof LiveRunUpdate>

/** One Claude Code hook invocation as `swarmscope hook` forwards it: the hook's stdin JSON and when it ran. */
export const HookDelivery = z.object({
  ts: z.number().int().nonnegative(),
  hook: z.record(z.string(), z.unknown()),
})
export type HookDelivery = z.infer<typeof HookDelivery>
