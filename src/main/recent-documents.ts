import { readJsonFile, writeJsonFile } from './json-file'

// File › Open Recent. Our own list (every platform gets the same menu), mirrored to the OS
// through app.addRecentDocument so the dock menu and Windows jump list show it too.

export const MAX_RECENT = 10

export interface RecentDocuments {
  list(): string[]
  /** Moves the path to the top; returns the new list. */
  add(path: string): string[]
  remove(path: string): string[]
  clear(): void
}

/** The list kept in a JSON file; paths that no longer exist are dropped when read. */
export function recentDocuments(file: string, exists: (path: string) => boolean): RecentDocuments {
  const read = (): string[] => {
    const v = readJsonFile(file)
    const paths = Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string') : []
    return [...new Set(paths)].filter(exists).slice(0, MAX_RECENT)
  }
  const save = (paths: string[]) => {
    writeJsonFile(file, paths)
    return paths
  }
  return {
    list: read,
    add: (path) => save([path, ...read().filter((p) => p !== path)].slice(0, MAX_RECENT)),
    remove: (path) => save(read().filter((p) => p !== path)),
    clear: () => void save([]),
  }
}
