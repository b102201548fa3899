import type { SkippedInput } from '../../shared/dto'

/**
 * Bad lines listed per file. Past this, one entry says how many more the file had: a damaged
 * file of 300,000 bad lines (23 MB) listed every one, 278 MB peak RSS for the list and 300,000
 * lines on stderr, and a damaged gigabyte would have held millions in memory.
 */
export const LINES_LISTED_PER_FILE = 100

/** What an import skips, with at most LINES_LISTED_PER_FILE lines listed for any one file. */
export function skipList(skipped: SkippedInput[]) {
  const counts = new Map<string, number>()
  return {
    /** A line (or, with line null, a problem) a format skipped while reading `file`. */
    line(file: string, line: number | null, reason: string): void {
      const n = (counts.get(file) ?? 0) + 1
      counts.set(file, n)
      if (n <= LINES_LISTED_PER_FILE) skipped.push({ file, line, reason })
    },
    /** `file` is read: the lines it had beyond those listed, as one entry. */
    fileDone(file: string): void {
      const n = counts.get(file) ?? 0
      counts.delete(file)
      if (n > LINES_LISTED_PER_FILE) {
        skipped.push({ file, line: null, reason: `${(n - LINES_LISTED_PER_FILE).toLocaleString('en-US')} more skipped lines not listed (the first ${LINES_LISTED_PER_FILE} are)` })
      }
    },
  }
}
