import { homedir } from 'node:os'
import { join } from 'node:path'
import type { AppConfig } from '../../shared/config'
import { claudeProjectsDirs } from './claude-dirs'
import type { CollectorOptions } from './collector'
import type { SamplingOptions } from './sampler'

// What the live services run, from two places: the settings (config.json's `live`, changed from
// the settings screen or `swarmscope config set live.…` while running) and what the shell pins
// for this process (serve's flags, a test's options). A pinned field ignores the settings.

export interface LiveSettings {
  watch: string[]
  connect: string[]
  otlpPort: number | null
  system: { intervalMs: number } | false
  sampling: Required<Pick<SamplingOptions, 'rate' | 'slowMs'>> & { budgetPerSec: number | null }
}

export type PinnedLiveSettings = Partial<LiveSettings>

/** `~/x` as people type it in a settings field; the shell is not there to expand it. */
const expandHome = (dir: string) => (dir === '~' || dir.startsWith('~/') ? join(homedir(), dir.slice(1)) : dir)

export function liveSettingsFrom(live: AppConfig['live'], pinned: PinnedLiveSettings = {}): LiveSettings {
  const fromConfig: LiveSettings = {
    watch: [...(live.watchClaudeProjects ? claudeProjectsDirs() : []), ...live.watch.map(expandHome)],
    connect: [...live.connect],
    otlpPort: live.otlpPort,
    system: live.systemIntervalMs === null ? false : { intervalMs: live.systemIntervalMs },
    sampling: { ...live.sampling },
  }
  const defined = Object.fromEntries(Object.entries(pinned).filter(([, v]) => v !== undefined))
  return { ...fromConfig, ...defined }
}

export const collectorOptionsOf = (s: LiveSettings): Pick<CollectorOptions, 'watch' | 'connect' | 'system' | 'sampling'> => ({
  watch: s.watch,
  connect: s.connect,
  system: s.system,
  sampling: s.sampling,
})
