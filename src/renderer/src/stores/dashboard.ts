import { create } from 'zustand'

// The run dashboard's layout: which widgets, in which order, how wide (of 12 columns) and how
// tall. Persisted in localStorage — the layout only, never run data — and shared by every run.
// The time range a user zoomed to is shared by the time charts, and is not persisted; nor is
// the insight last picked on a chart (the side list opens it).

export type WidgetType =
  | 'tokens-over-time' | 'latency-over-time' | 'cumulative-cost' | 'tokens-per-agent' | 'tool-calls'
  | 'latency-vs-tokens' | 'cost-by-model' | 'latency-histogram' | 'agent-activity' | 'efficiency' | 'agents-table'

export interface WidgetLayout {
  id: string
  type: WidgetType
  /** Columns of 12. */
  w: number
  /** Height step: 1 small, 2 medium, 3 large. */
  h: number
}

export const DEFAULT_LAYOUT: WidgetLayout[] = [
  { id: 'w1', type: 'tokens-over-time', w: 6, h: 2 },
  { id: 'w2', type: 'latency-over-time', w: 6, h: 2 },
  { id: 'w3', type: 'cumulative-cost', w: 4, h: 2 },
  { id: 'w4', type: 'cost-by-model', w: 4, h: 2 },
  { id: 'w5', type: 'efficiency', w: 4, h: 2 },
  { id: 'w6', type: 'tokens-per-agent', w: 6, h: 2 },
  { id: 'w7', type: 'tool-calls', w: 6, h: 2 },
  { id: 'w8', type: 'latency-histogram', w: 6, h: 2 },
  { id: 'w9', type: 'latency-vs-tokens', w: 6, h: 2 },
  { id: 'w10', type: 'agent-activity', w: 12, h: 2 },
  { id: 'w11', type: 'agents-table', w: 12, h: 2 },
]

const KEY = 'swarmscope.dashboard.layout.v1'
const WIDTHS = [3, 4, 6, 8, 12]

function load(): WidgetLayout[] {
  try {
    const raw = localStorage.getItem(KEY)
    if (!raw) return DEFAULT_LAYOUT
    const parsed = JSON.parse(raw) as WidgetLayout[]
    return Array.isArray(parsed) && parsed.every((w) => typeof w.id === 'string' && typeof w.type === 'string') ? parsed : DEFAULT_LAYOUT
  } catch {
    return DEFAULT_LAYOUT
  }
}

interface DashboardState {
  layout: WidgetLayout[]
  /** The time window the time charts show; null: the whole run. */
  range: [number, number] | null
  setRange(r: [number, number] | null): void
  /** Rank of the insight picked on a chart, and a counter so picking it again scrolls again. */
  focused: { rank: number; n: number } | null
  focusInsight(rank: number | null): void
  move(id: string, to: number): void
  resize(id: string, change: { w?: 1 | -1; h?: 1 | -1 }): void
  remove(id: string): void
  add(type: WidgetType): void
  reset(): void
}

export const useDashboard = create<DashboardState>((set, get) => {
  const save = (layout: WidgetLayout[]) => {
    localStorage.setItem(KEY, JSON.stringify(layout))
    set({ layout })
  }
  return {
    layout: load(),
    range: null,
    setRange: (range) => set({ range }),
    focused: null,
    focusInsight: (rank) => set({ focused: rank === null ? null : { rank, n: (get().focused?.n ?? 0) + 1 } }),
    move(id, to) {
      const l = [...get().layout]
      const from = l.findIndex((w) => w.id === id)
      if (from < 0 || to < 0 || to >= l.length) return
      const [w] = l.splice(from, 1)
      l.splice(to, 0, w)
      save(l)
    },
    resize(id, change) {
      save(get().layout.map((w) => {
        if (w.id !== id) return w
        const wi = WIDTHS.indexOf(w.w)
        const nw = change.w ? WIDTHS[Math.max(0, Math.min(WIDTHS.length - 1, (wi < 0 ? 2 : wi) + change.w))] : w.w
        const nh = change.h ? Math.max(1, Math.min(3, w.h + change.h)) : w.h
        return { ...w, w: nw, h: nh }
      }))
    },
    remove: (id) => save(get().layout.filter((w) => w.id !== id)),
    add(type) {
      const n = Math.max(0, ...get().layout.map((w) => Number(w.id.slice(1)) || 0)) + 1
      save([...get().layout, { id: `w${n}`, type, w: type === 'agents-table' || type === 'agent-activity' ? 12 : 6, h: 2 }])
    },
    reset: () => save(DEFAULT_LAYOUT),
  }
})
