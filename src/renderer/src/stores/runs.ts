import { create } from 'zustand'
import type { RunOverview, RunSummary } from '../../../shared/dto'
import { client } from '../client'

interface RunsState {
  runs: RunSummary[]
  loaded: boolean
  error: string | null
  selectedId: string | null
  overview: RunOverview | null
  refresh(): Promise<void>
  select(id: string | null): Promise<void>
}

const runFromHash = () => {
  const m = /^#\/run\/(.+)$/.exec(location.hash)
  return m ? decodeURIComponent(m[1]) : null
}

/** Server data lives here only as a cache of the contract's answers, refreshed on push events. */
export const useRuns = create<RunsState>((set, get) => ({
  runs: [],
  loaded: false,
  error: null,
  selectedId: null,
  overview: null,
  async refresh() {
    const res = await client.call('runs.list', {})
    if (!res.ok) return set({ error: res.error.message, loaded: true })
    set({ runs: res.data, loaded: true, error: null })
    // Keep the run being looked at; else the one in the address (survives reloads); else the latest.
    const wanted = get().selectedId ?? runFromHash()
    const selected = res.data.find((r) => r.id === wanted)?.id ?? res.data[0]?.id ?? null
    await get().select(selected)
  },
  async select(id) {
    if (id === null) return set({ selectedId: null, overview: null })
    set({ selectedId: id })
    history.replaceState(null, '', `#/run/${encodeURIComponent(id)}`)
    const res = await client.call('runs.overview', { id, maxPoints: 300 })
    if (get().selectedId !== id) return // a later selection won
    if (!res.ok) return set({ error: res.error.message, overview: null })
    set({ overview: res.data, error: null })
  },
}))

client.on('runs.changed', () => void useRuns.getState().refresh())
