import { create } from 'zustand'

// What the export dialog is about to export. Screens open it with a target; the dialog offers
// the formats that target supports.

export type ExportKind = 'chart' | 'dashboard' | 'run' | 'comparison' | 'runs'

export interface ExportTarget {
  kind: ExportKind
  runId?: string | null
  /** The chart's id in the chart registry (its test id), for kind 'chart'. */
  chartId?: string
  /** For kind 'comparison'. */
  baseline?: string
  candidates?: string[]
}

interface ExportState {
  target: ExportTarget | null
  open(t: ExportTarget): void
  close(): void
}

export const useExport = create<ExportState>((set) => ({
  target: null,
  open: (target) => set({ target }),
  close: () => set({ target: null }),
}))
