import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { watchTree, type TreeWatch } from '../../src/core/live/tree-watch'
import { until } from './helpers'

// The per-folder watch that replaces Node's JavaScript-emulated recursive watch on Linux:
// changes anywhere below the root are reported, folders that appear later are watched (and
// the files already inside them reported), removed folders are let go.

const linux = process.platform === 'linux'

describe.skipIf(!linux)('watchTree (one inotify watch per folder)', () => {
  let root: string
  let w: TreeWatch | null = null
  afterEach(() => {
    w?.close()
    rmSync(root, { recursive: true, force: true })
  })

  function start() {
    const seen = new Set<string>()
    const errors: Error[] = []
    w = watchTree(root, { onFile: (p) => seen.add(p), onError: (e) => errors.push(e) })
    return { seen, errors }
  }

  it('reports appends in nested folders, files in folders created later, and drops removed folders', async () => {
    root = mkdtempSync(join(tmpdir(), 'tree-watch-'))
    const session = join(root, 'proj-a', 'sess-1', 'subagents')
    mkdirSync(session, { recursive: true })
    mkdirSync(join(root, 'node_modules', 'x'), { recursive: true })
    writeFileSync(join(session, 'agent-1.jsonl'), '{}\n')
    const { seen, errors } = start()
    // root, proj-a, sess-1, subagents; node_modules is skipped.
    expect(w!.folders).toBe(4)

    appendFileSync(join(session, 'agent-1.jsonl'), '{}\n')
    await until('the nested append', () => seen.has(join(session, 'agent-1.jsonl')))

    // A whole new project folder with a file written at once: the file is reported even if it
    // was written before the new folder's watch existed.
    const later = join(root, 'proj-b', 'sess-2')
    mkdirSync(later, { recursive: true })
    writeFileSync(join(later, 'main.jsonl'), '{}\n')
    await until('the new folder file', () => seen.has(join(later, 'main.jsonl')))
    expect(w!.folders).toBe(6)
    appendFileSync(join(later, 'main.jsonl'), '{}\n')
    seen.clear()
    await until('an append in the new folder', () => seen.has(join(later, 'main.jsonl')))

    rmSync(join(root, 'proj-b'), { recursive: true })
    await until('the removed folders let go', () => w!.folders === 4)

    writeFileSync(join(root, 'node_modules', 'x', 'ignored.jsonl'), '{}\n')
    writeFileSync(join(root, 'top.jsonl'), '{}\n')
    await until('a file at the root', () => seen.has(join(root, 'top.jsonl')))
    expect([...seen].some((p) => p.includes('node_modules'))).toBe(false)
    expect(errors).toEqual([])
  })

  it('reports nothing after close', async () => {
    root = mkdtempSync(join(tmpdir(), 'tree-watch-'))
    const { seen } = start()
    w!.close()
    writeFileSync(join(root, 'after.jsonl'), '{}\n')
    await new Promise((r) => setTimeout(r, 150))
    expect(seen.size).toBe(0)
    expect(w!.folders).toBe(0)
  })

  it('reports the removal of the root as a failure of the whole watch', async () => {
    root = mkdtempSync(join(tmpdir(), 'tree-watch-'))
    const watched = join(root, 'projects')
    mkdirSync(join(watched, 'p'), { recursive: true })
    const errors: Error[] = []
    w = watchTree(watched, { onFile: () => undefined, onError: (e) => errors.push(e) })
    rmSync(watched, { recursive: true })
    await until('the failure', () => errors.length > 0)
    expect(errors[0].message).toMatch(/was removed/)
    expect(w.folders).toBe(0)
  })

  it('throws when the root cannot be watched, so the tail falls back to rescans', () => {
    root = mkdtempSync(join(tmpdir(), 'tree-watch-'))
    expect(() => watchTree(join(root, 'missing'), { onFile: () => undefined, onError: () => undefined })).toThrow(/cannot watch/)
  })
})
