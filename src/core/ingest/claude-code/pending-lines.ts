import { randomBytes } from 'node:crypto'
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Sidechain lines of an old transcript that name no agent wait for the end of the file, where
 * the rule that places them can be applied (see ClaudeCodeParser.finish). In such a file every
 * line of a subagent waits, so holding them all broke constant memory: one 1 GB transcript
 * written that way (`oldFormatSession` in the ingest benchmark) peaked at 1.32 GB RSS.
 *
 * The first MEMORY_BUDGET characters of lines wait in memory as text; past that, lines are
 * appended to a temporary file, and the same transcript peaks at ~280-290 MB. Either way they
 * are parsed again when the file ends. The temporary file is private to the user (0600) and is
 * unlinked as soon as it is opened where the system allows it (Linux, macOS): nothing is left
 * behind even if the process dies. Elsewhere it is deleted when the file's import ends,
 * finished or not. Where no temporary file can be made, the lines wait in memory (the import
 * is as it was before, rather than failing).
 */
export const MEMORY_BUDGET = 1024 * 1024

const NEWLINE = 0x0a

export interface PendingLine {
  json: Record<string, unknown>
  lineNo: number
}

/** Bytes written or read back per call: one system call per line cost 4.4 s for 400,000 lines. */
const CHUNK = 1024 * 1024

export class PendingLines {
  /** Held as text: parsed, 16 MB of lines took ~95 MB more of the parse worker's memory. */
  private held: { text: string; lineNo: number }[] = []
  private heldChars = 0
  private fd: number | null = null
  /** Set while the temporary file still has a name (it could not be unlinked while open). */
  private path: string | null = null
  /** No temporary file could be made (no writable temporary folder): every line waits in memory, as before. */
  private memoryOnly = false
  /** Spilled text not written yet. */
  private unwritten: string[] = []
  private unwrittenChars = 0

  push(lineNo: number, text: string): void {
    if (this.fd === null && (this.memoryOnly || this.heldChars + text.length <= MEMORY_BUDGET || !this.open())) {
      this.held.push({ text, lineNo })
      this.heldChars += text.length
      return
    }
    // A JSON line holds no raw newline: one line of text per spilled line, its number first.
    this.unwritten.push(`${lineNo}\t${text}\n`)
    this.unwrittenChars += text.length
    if (this.unwrittenChars >= CHUNK) this.writeOut()
  }

  /** Every waiting line in file order (held ones first: they came first), parsed one at a time; then forgets them all. */
  *drain(): Generator<PendingLine> {
    try {
      const held = this.held
      this.held = []
      this.heldChars = 0
      for (const { text, lineNo } of held) yield { lineNo, json: JSON.parse(text) as Record<string, unknown> }
      if (this.fd === null) return
      this.writeOut()
      const buf = Buffer.allocUnsafe(CHUNK)
      /** The start of a line earlier chunks ended in, in pieces joined once its newline comes (copied: the buffer is reused). */
      let carry: Buffer[] = []
      const parse = (line: string): PendingLine => {
        const tab = line.indexOf('\t')
        return { lineNo: Number(line.slice(0, tab)), json: JSON.parse(line.slice(tab + 1)) as Record<string, unknown> }
      }
      for (let n, pos = 0; (n = readSync(this.fd, buf, 0, CHUNK, pos)) > 0; pos += n) {
        let from = 0
        let nl = buf.indexOf(NEWLINE, 0)
        if (nl === -1 || nl >= n) {
          carry.push(Buffer.from(buf.subarray(0, n)))
          continue
        }
        if (carry.length > 0) {
          const line = Buffer.concat([...carry, buf.subarray(0, nl)]).toString('utf8')
          carry = []
          from = nl + 1
          nl = buf.indexOf(NEWLINE, from)
          yield parse(line)
        }
        for (; nl !== -1 && nl < n; nl = buf.indexOf(NEWLINE, from)) {
          const line = buf.toString('utf8', from, nl)
          from = nl + 1
          yield parse(line)
        }
        if (from < n) carry = [Buffer.from(buf.subarray(from, n))]
      }
    } finally {
      this.dispose()
    }
  }

  /** Closes and removes the temporary file, if any; safe to call more than once. */
  dispose(): void {
    this.held = []
    this.heldChars = 0
    this.unwritten = []
    this.unwrittenChars = 0
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
    if (this.path !== null) unlinkQuietly(this.path)
    this.path = null
  }

  private writeOut(): void {
    if (this.unwritten.length === 0) return
    const bytes = Buffer.from(this.unwritten.join(''))
    for (let off = 0; off < bytes.length; ) off += writeSync(this.fd!, bytes, off)
    this.unwritten = []
    this.unwrittenChars = 0
  }

  /** Makes the temporary file; false (and memory from then on) when none can be made. */
  private open(): boolean {
    const path = join(tmpdir(), `swarmscope-sidechain-${process.pid}-${randomBytes(6).toString('hex')}.tmp`)
    try {
      this.fd = openSync(path, 'wx+', 0o600)
    } catch {
      this.memoryOnly = true
      return false
    }
    this.path = unlinkQuietly(path) ? null : path
    return true
  }
}

function unlinkQuietly(path: string): boolean {
  try {
    unlinkSync(path)
    return true
  } catch {
    return false
  }
}
