import { create } from 'zustand'
import type { ImportProgress, SkippedInput } from '../../../shared/dto'
import { client } from '../client'
import { useRuns } from './runs'

interface ActiveImport {
  id: string
  progress: ImportProgress | null
}

interface ImportsState {
  active: Record<string, ActiveImport>
  lastSkipped: SkippedInput[]
  lastError: string | null
  lastImported: number | null
  importDrop(dt: DataTransfer): Promise<void>
  cancel(id: string): Promise<void>
  dismiss(): void
}

export const useImports = create<ImportsState>((set, get) => ({
  active: {},
  lastSkipped: [],
  lastError: null,
  lastImported: null,
  async importDrop(dt) {
    const id = crypto.randomUUID()
    set({ active: { ...get().active, [id]: { id, progress: null } }, lastError: null })
    const res = await client.importDrop(dt, id)
    const { [id]: _done, ...rest } = get().active
    if (!res.ok) return set({ active: rest, lastError: res.error.message, lastImported: null })
    set({ active: rest, lastSkipped: res.data.skipped, lastImported: res.data.runs.length })
    await useRuns.getState().refresh()
    const first = res.data.runs[0]
    if (first) await useRuns.getState().select(first.id)
  },
  async cancel(id) {
    await client.call('import.cancel', { importId: id })
  },
  dismiss: () => set({ lastSkipped: [], lastError: null, lastImported: null }),
}))

client.on('import.progress', (p) => {
  const active = useImports.getState().active
  if (active[p.importId]) useImports.setState({ active: { ...active, [p.importId]: { id: p.importId, progress: p } } })
})
