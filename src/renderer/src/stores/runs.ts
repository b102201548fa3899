import { create } from 'zustand'
import type { RunSummary } from '../../../shared/dto'
import { client } from '../client'
import { ChangeQueue, mergeRuns, type Pending } from '../lib/run-changes'

// The runs library: a cache of `runs.list`, kept up to date on `runs.changed` by fetching the
// runs it names (lib/run-changes.ts). Filters, sort and the selection are UI state and live
// here too, so the toolbar and the table agree.

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
  /** Fetches the whole list again (after any fetch under way). */
  refresh(): Promise<void>
  /** Fetches these runs again (after any fetch under way): what an import in this window touched. */
  refreshRuns(ids: string[]): Promise<void>
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
  refresh: () => changes.all(),
  refreshRuns: (ids) => (ids.length ? changes.changed(ids) : Promise.resolve()),
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

/** One fetch for the queue: the whole list, or the named runs merged into the list held. */
async function fetchRuns(what: Pending): Promise<void> {
  // Nothing held yet to merge into: the whole list.
  const all = what.all || !useRuns.getState().loaded
  const res = all ? await client.call('runs.list', {}) : await client.call('runs.byIds', { ids: [...what.ids] })
  if (!res.ok) return useRuns.setState({ error: res.error.message, loaded: true })
  // Merged into the list and selection as they are now: a rename or a click may have come in meanwhile.
  const { runs, selected } = useRuns.getState()
  const next = all ? res.data : mergeRuns(runs, what.ids, res.data)
  const ids = new Set(next.map((r) => r.id))
  useRuns.setState({ runs: next, loaded: true, error: null, selected: new Set([...selected].filter((id) => ids.has(id))) })
}

const changes = new ChangeQueue(async (what) => {
  try {
    await fetchRuns(what)
  } catch (e) {
    useRuns.setState({ error: (e as Error).message, loaded: true })
  }
})

client.on('runs.changed', (p) => void changes.changed(p.runIds))

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
