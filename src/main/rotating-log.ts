import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'

// The main process's log: one file in the app's logs folder (Help › Open Logs Folder), rotated
// by size so it never grows without bound: main.log, main.log.1 … main.log.<keep>.

export type LogLevel = 'info' | 'warn' | 'error'

export interface Log {
  info(message: string, detail?: unknown): void
  warn(message: string, detail?: unknown): void
  error(message: string, detail?: unknown): void
  readonly file: string
}

export interface LogOptions {
  maxBytes?: number
  keep?: number
  now?: () => Date
}

function describe(detail: unknown): string {
  if (detail === undefined) return ''
  if (detail instanceof Error) return `\n${detail.stack ?? detail.message}`
  try {
    return ' ' + JSON.stringify(detail)
  } catch {
    return ' ' + String(detail)
  }
}

export function rotatingLog(file: string, o: LogOptions = {}): Log {
  const maxBytes = o.maxBytes ?? 1024 * 1024
  const keep = o.keep ?? 3
  const now = o.now ?? (() => new Date())
  mkdirSync(dirname(file), { recursive: true })

  const rotate = () => {
    rmSync(`${file}.${keep}`, { force: true })
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`)
    renameSync(file, `${file}.1`)
  }

  const write = (level: LogLevel, message: string, detail?: unknown) => {
    const line = `${now().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${describe(detail)}\n`
    try {
      if (existsSync(file) && statSync(file).size + Buffer.byteLength(line) > maxBytes) rotate()
      appendFileSync(file, line)
    } catch {
      // Logging must never take the app down (a full disk, a read-only folder): drop the line.
    }
    if (level !== 'info') process.stderr.write(line)
  }
  return {
    file,
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
  }
}
