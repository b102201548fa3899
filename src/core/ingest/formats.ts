import type { RecordSink } from './records'

export interface SniffInput {
  path: string
  name: string
  size: number
  /** The first bytes of the file (up to 64 KiB). */
  head: Buffer
}

export interface PreviousImport {
  size: number
  offset: number
  lines: number
  resume: Record<string, unknown>
}

export interface FileImportContext {
  path: string
  size: number
  sink: RecordSink
  /** Set when the file was imported before and has only grown since: continue from there. */
  resumeFrom: PreviousImport | null
  signal: AbortSignal
  /** The file's bytes from where reading starts (`resumeFrom.offset`, else 0) to `size`, when already read. */
  data?: Buffer
  skip(line: number | null, reason: string): void
  progress(bytesRead: number, lines: number): void
  /** Awaited between chunks of a streamed file (the parse worker waits there for the writer to catch up). */
  throttle?: () => Promise<void> | void
}

export interface FileImportResult {
  endOffset: number
  lines: number
  resume?: Record<string, unknown>
}

/** One supported input format. The ingest registry tries each `sniff` in order. */
export interface FormatImporter {
  format: string
  /** Whether a file that has grown can be read from where the last import stopped. */
  appendOnly: boolean
  sniff(file: SniffInput): boolean
  importFile(ctx: FileImportContext): Promise<FileImportResult>
}
