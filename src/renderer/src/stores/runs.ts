import { create } from 'zustand'
import type { RunSummary } from '../../../shared/dto'
import { client } from '../client'

// The runs library: a cache of `runs.list`, refreshed on `runs.changed`. Filters, sort and the
// selection are UI state and live here too, so the toolbar and the table agree.

export type SortKey = 'name' | 'source' | 'group' | 'startedAt' | 'durationMs' | 'tokens' | 'costUsd' | 'errors'

export const totalTokens = (r: RunSummary) => r.inputTokens + r.outputTokens + r.cacheCreationTokens + r.cacheReadTokens

interface RunsState {
  runs: RunSummary[]
  loaded: boolean
  error: string | null
  search: string
  source: string
  group: string
  sort: { key: SortKey; desc: boolean }
  selected: Set<string>
  refresh(): Promise<void>
  setSearch(s: string): void
  setFilter(f: { source?: string; group?: string }): void
  sortBy(key: SortKey): void
  toggle(id: string, range?: string[]): void
  selectOnly(ids: string[]): void
  rename(id: string, name: string): Promise<string | null>
  tag(id: string, tags: Record<string, string>, group?: string | null): Promise<string | null>
  remove(ids: string[]): Promise<string | null>
}

export const useRuns = create<RunsState>((set, get) => ({
  runs: [],
  loaded: false,
  error: null,
  search: '',
  source: '',
  group: '',
  sort: { key: 'startedAt', desc: true },
  selected: new Set(),
  async refresh() {
    const res = await client.call('runs.list', {})
    if (!res.ok) return set({ error: res.error.message, loaded: true })
    const ids = new Set(res.data.map((r) => r.id))
    set({ runs: res.data, loaded: true, error: null, selected: new Set([...get().selected].filter((id) => ids.has(id))) })
  },
  setSearch: (search) => set({ search }),
  setFilter: (f) => set(f),
  sortBy(key) {
    const { sort } = get()
    set({ sort: { key, desc: sort.key === key ? !sort.desc : key !== 'name' && key !== 'source' && key !== 'group' } })
  },
  toggle(id, range) {
    const next = new Set(get().selected)
    const on = !next.has(id)
    for (const r of range ?? [id]) {
      if (on) next.add(r)
      else next.delete(r)
    }
    set({ selected: next })
  },
  selectOnly: (ids) => set({ selected: new Set(ids) }),
  async rename(id, name) {
    const res = await client.call('runs.rename', { id, name })
    if (!res.ok) return res.error.message
    set({ runs: get().runs.map((r) => (r.id === id ? res.data : r)) })
    return null
  },
  async tag(id, tags, group) {
    const res = await client.call('runs.tag', { id, tags, group })
    if (!res.ok) return res.error.message
    set({ runs: get().runs.map((r) => (r.id === id ? res.data : r)) })
    return null
  },
  async remove(ids) {
    for (const id of ids) {
      const res = await client.call('runs.delete', { id })
      if (!res.ok) return res.error.message
    }
    set({ selected: new Set() })
    await get().refresh()
    return null
  },
}))

client.on('runs.changed', () => void useRuns.getState().refresh())

/** The visible rows: filtered by source, group and search text, then sorted. Pure, for the table and tests. */
export function visibleRuns(runs: RunSummary[], s: { search: string; source: string; group: string; sort: { key: SortKey; desc: boolean } }): RunSummary[] {
  const q = s.search.trim().toLowerCase()
  const rows = runs.filter(
    (r) =>
      (!s.source || r.source === s.source) &&
      (!s.group || (s.group === '(none)' ? r.group === null : r.group === s.group)) &&
      (!q || r.name.toLowerCase().includes(q) || r.id.toLowerCase().includes(q) || Object.entries(r.tags).some(([k, v]) => `${k}=${v}`.toLowerCase().includes(q)) || (r.group ?? '').toLowerCase().includes(q)),
  )
  const value = (r: RunSummary): number | string => {
    switch (s.sort.key) {
      case 'tokens': return totalTokens(r)
      case 'durationMs': return r.durationMs ?? -1
      case 'startedAt': return r.startedAt ?? ''
      case 'group': return r.group ?? ''
      default: return r[s.sort.key]
    }
  }
  const dir = s.sort.desc ? -1 : 1
  return rows.sort((a, b) => {
    const va = value(a)
    const vb = value(b)
    return (va < vb ? -1 : va > vb ? 1 : 0) * dir || (a.id < b.id ? -1 : 1)
  })
}
