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
  /** The Anonymize box: kept ticked for the session once ticked, so a second export is not shared by mistake. */
  anonymize: boolean
  open(t: ExportTarget): void
  close(): void
  setAnonymize(on: boolean): void
}

export const useExport = create<ExportState>((set) => ({
  target: null,
  anonymize: false,
  open: (target) => set({ target }),
  close: () => set({ target: null }),
  setAnonymize: (anonymize) => set({ anonymize }),
}))
