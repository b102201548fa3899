import { create } from 'zustand'
import type { RunComparison } from '../../../shared/analysis-dto'
import { client } from '../client'

// The comparison being looked at: refs from the address, weights from the sliders. Each change
// asks the core again; only the latest answer is kept.

export type Criterion = 'latency' | 'cost' | 'tokens' | 'errorRate' | 'throughput'
export const DEFAULT_WEIGHTS: Record<Criterion, number> = { latency: 0.3, cost: 0.3, tokens: 0.15, errorRate: 0.15, throughput: 0.1 }
export type Comparison = RunComparison & { candidateRef: string; baselineRef: string }

interface CompareState {
  key: string
  weights: Record<Criterion, number>
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  comparisons: Comparison[]
  run(baseline: string, candidates: string[]): Promise<void>
  setWeight(c: Criterion, w: number): void
}

let ask = 0

export const useCompare = create<CompareState>((set, get) => ({
  key: '',
  weights: DEFAULT_WEIGHTS,
  status: 'idle',
  error: null,
  comparisons: [],
  async run(baseline, candidates) {
    const key = JSON.stringify([baseline, candidates, get().weights])
    if (key === get().key && get().status !== 'error') return
    const mine = ++ask
    set({ key, status: 'loading' })
    const res = await client.call('compare.runs', { baseline, candidates, weights: get().weights })
    if (mine !== ask) return
    if (!res.ok) return set({ status: 'error', error: res.error.message, comparisons: [] })
    set({ status: 'ready', error: null, comparisons: res.data.comparisons })
  },
  setWeight: (c, w) => set({ weights: { ...get().weights, [c]: w } }),
}))

/** Signed so that positive is better for the candidate, whatever the metric's direction. */
export const improvementPct = (m: { changePct: number | null; direction: string }) =>
  m.changePct === null ? null : m.direction === 'lower-is-better' ? -m.changePct : m.changePct

export const VERDICT_LABEL: Record<string, string> = {
  improved: 'improved',
  regressed: 'regressed',
  'no-significant-change': 'n.s.',
  'insufficient-data': 'insufficient data',
}
