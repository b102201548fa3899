import { create } from 'zustand'
import type { ImportProgress, SkippedInput } from '../../../shared/dto'
import { client } from '../client'
import { navigate, paths } from '../lib/router'
import { useRuns } from './runs'

// Imports started from this window: one entry per drop, with its progress from the core's
// `import.progress` events, then a summary of what was imported and what was skipped (file:line).

export interface ActiveImport {
  id: string
  label: string
  startedAt: number
  progress: ImportProgress | null
}

export interface ImportSummary {
  id: string
  label: string
  runs: number
  files: number
  /** Files unchanged since the last import: not read, so their bad lines are not listed again. */
  unchanged: number
  /** Runs the store already held (from a bundle, or given a group by the import): left as they were. */
  kept: number
  skipped: SkippedInput[]
  error: string | null
  cancelled: boolean
}

interface ImportsState {
  active: Record<string, ActiveImport>
  /** What the imports of this window did, newest first: an overlapping drop does not hide the one before it. */
  recent: ImportSummary[]
  importDrop(dt: DataTransfer): Promise<void>
  cancel(id: string): Promise<void>
  dismiss(id: string): void
}

/** Summaries kept on screen at once; older ones go (each stays until dismissed or pushed out). */
const MAX_SUMMARIES = 5

const describeDrop = (dt: DataTransfer) => {
  const names = [...dt.files].map((f) => f.name)
  return names.length === 0 ? 'dropped items' : names.length === 1 ? names[0] : `${names[0]} and ${names.length - 1} more`
}

/** Drops still handing their files over: Cancel stops the upload before the import starts. */
const aborts = new Map<string, AbortController>()

export const useImports = create<ImportsState>((set, get) => ({
  active: {},
  recent: [],
  async importDrop(dt) {
    const id = crypto.randomUUID()
    const label = describeDrop(dt)
    const abort = new AbortController()
    aborts.set(id, abort)
    set({ active: { ...get().active, [id]: { id, label, startedAt: Date.now(), progress: null } } })
    const done = (summary: Omit<ImportSummary, 'id' | 'label'>) => {
      const { [id]: _done, ...rest } = get().active
      set({ active: rest, recent: [{ id, label, ...summary }, ...get().recent].slice(0, MAX_SUMMARIES) })
    }
    let res
    try {
      res = await client.importDrop(dt, id, abort.signal)
    } catch (e) {
      // Whatever went wrong, the drop leaves the bar and says why: it never hangs on "uploading…".
      res = { ok: false as const, error: { code: 'internal' as const, message: (e as Error).message } }
    } finally {
      aborts.delete(id)
    }
    if (!res.ok) {
      const cancelled = res.error.code === 'cancelled'
      return done({ runs: 0, files: 0, unchanged: 0, kept: 0, skipped: [], error: cancelled ? null : res.error.message, cancelled })
    }
    done({ runs: res.data.runs.length, files: res.data.files, unchanged: res.data.unchanged, kept: res.data.kept.length, skipped: res.data.skipped, error: null, cancelled: false })
    // The import named its runs: only those are fetched again, not the whole list. If the user moved on meanwhile, stay where they went.
    const whereTheUserWas = location.hash
    await useRuns.getState().refreshRuns(res.data.runs.map((r) => r.id))
    const first = res.data.runs[0]
    if (first && location.hash === whereTheUserWas) navigate(paths.dashboard(first.id))
  },
  async cancel(id) {
    aborts.get(id)?.abort()
    await client.call('import.cancel', { importId: id })
  },
  dismiss: (id) => set({ recent: get().recent.filter((r) => r.id !== id) }),
}))

client.on('import.progress', (p) => {
  const active = useImports.getState().active
  const a = active[p.importId]
  if (a) useImports.setState({ active: { ...active, [p.importId]: { ...a, progress: p } } })
})

/** Skipped lines grouped by reason, most frequent first: "not valid JSON × 12". */
export function skippedByReason(skipped: SkippedInput[]): { reason: string; count: number }[] {
  const m = new Map<string, number>()
  for (const s of skipped) m.set(s.reason, (m.get(s.reason) ?? 0) + 1)
  return [...m].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count)
}
