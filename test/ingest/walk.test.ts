import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { walk } from '../../src/core/ingest/walk'
import { tempDir } from '../helpers/temp'

const names = (dir: string) => walk([dir], []).map((c) => c.path.slice(dir.length + 1))

describe('folder walk', () => {
  it('sees files added to, and removed from, a folder it listed before', () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'a', 'sub'), { recursive: true })
    writeFileSync(join(dir, 'a', 'one.jsonl'), '{}\n')
    // Folders last changed long ago: their listings are remembered between walks.
    const old = new Date(Date.now() - 3_600_000)
    for (const d of [dir, join(dir, 'a'), join(dir, 'a', 'sub')]) utimesSync(d, old, old)
    expect(names(dir)).toEqual(['a/one.jsonl'])
    writeFileSync(join(dir, 'a', 'sub', 'two.jsonl'), '{}\n')
    writeFileSync(join(dir, 'a', 'three.jsonl'), '{}\n')
    expect(names(dir)).toEqual(['a/one.jsonl', 'a/sub/two.jsonl', 'a/three.jsonl'].sort())
    for (const d of [dir, join(dir, 'a'), join(dir, 'a', 'sub')]) utimesSync(d, old, old)
    expect(names(dir)).toEqual(['a/one.jsonl', 'a/sub/two.jsonl', 'a/three.jsonl'].sort())
  })

  it('reports a path that is not there, and skips node_modules and .git', () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'node_modules'))
    mkdirSync(join(dir, '.git'))
    writeFileSync(join(dir, 'node_modules', 'x.jsonl'), '{}\n')
    writeFileSync(join(dir, '.git', 'x.jsonl'), '{}\n')
    writeFileSync(join(dir, 'kept.jsonl'), '{}\n')
    const skipped: { file: string; line: number | null; reason: string }[] = []
    expect(walk([dir, join(dir, 'missing')], skipped).map((c) => c.path)).toEqual([join(dir, 'kept.jsonl')])
    expect(skipped).toEqual([{ file: join(dir, 'missing'), line: null, reason: 'cannot read: no such file or folder' }])
  })

  it('walks a folder once however many links lead to it, a link back up the tree included', () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'a'))
    writeFileSync(join(dir, 'a', 'one.jsonl'), '{}\n')
    symlinkSync('.', join(dir, 'a', 'loop'))
    symlinkSync(join(dir, 'a'), join(dir, 'again'))
    const skipped: { file: string; line: number | null; reason: string }[] = []
    expect(walk([dir], skipped).map((c) => c.path.slice(dir.length + 1))).toEqual(['a/one.jsonl'])
    expect(skipped).toEqual([])
  })
})
