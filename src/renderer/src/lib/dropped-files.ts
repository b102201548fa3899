import type { SkippedInput } from '../../../shared/dto'

export interface DroppedFile {
  file: File
  /** Path inside a dropped folder (`<session>/subagents/agent-x.jsonl`), or the file name. */
  relativePath: string
}

export interface Drop {
  files: DroppedFile[]
  /** Entries the browser would not hand over (a name that is not UTF-8, no permission): listed, not the end of the drop. */
  unreadable: SkippedInput[]
}

const why = (e: unknown) => `cannot read: ${(e as DOMException | null)?.message || 'the browser refused it'}`

async function walk(entry: FileSystemEntry, out: Drop): Promise<void> {
  const relativePath = entry.fullPath.replace(/^\//, '')
  try {
    if (entry.isFile) {
      const file = await new Promise<File>((ok, err) => (entry as FileSystemFileEntry).file(ok, err))
      out.files.push({ file, relativePath })
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader()
      // readEntries returns at most ~100 entries per call: read until it returns none.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((ok, err) => reader.readEntries(ok, err))
        if (batch.length === 0) break
        for (const e of batch) await walk(e, out)
      }
    }
  } catch (e) {
    // An entry whose path ends at its folder had a name the browser could not decode: say that, not its generic error.
    const unnamed = relativePath.endsWith('/') || entry.name === ''
    out.unreadable.push({ file: relativePath, line: null, reason: unnamed ? 'cannot read: a file in this folder whose name is not valid UTF-8 (the browser cannot name it)' : why(e) })
  }
}

/**
 * Files and whole folders from a drop event, keeping folder structure. Everything is taken
 * from the DataTransfer before the first await: its items are emptied once the event ends.
 */
export async function filesFromDrop(dt: DataTransfer): Promise<Drop> {
  const entries = [...dt.items]
    .map((i) => (i.kind === 'file' ? i.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null)
  const plain = [...dt.files].map((file) => ({ file, relativePath: file.name }))
  if (entries.length === 0) return { files: plain, unreadable: [] }
  const out: Drop = { files: [], unreadable: [] }
  for (const e of entries) await walk(e, out)
  return out
}
