import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { electronNativeBinding } from '../../src/main/native'
import { tempDir } from '../helpers/temp'

// electron-builder cannot run here (it downloads Electron), so its configuration is checked
// against the files it names and the code that depends on it.

const ROOT = new URL('../../', import.meta.url).pathname
const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')
const pngSize = (file: string) => {
  const b = readFileSync(file)
  expect(b.subarray(1, 4).toString()).toBe('PNG')
  return [b.readUInt32BE(16), b.readUInt32BE(20)]
}

describe('packaging', () => {
  it('builds AppImage, deb and rpm, a dmg and an NSIS installer under one app id', () => {
    expect(yml).toMatch(/^appId: dev\.swarmscope\.app$/m)
    expect(yml).toMatch(/^productName: Swarmscope$/m)
    expect(yml).toMatch(/^linux:\n(?: .*\n)*? {2}target: \[AppImage, deb, rpm\]/m)
    expect(yml).toMatch(/^mac:\n(?: .*\n)*? {2}target: \[dmg\]/m)
    expect(yml).toMatch(/^win:\n(?: .*\n)*? {2}target: \[nsis\]/m)
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
    expect(pkg.scripts.dist).toContain('electron-builder')
    expect(pkg.scripts.icons).toContain('scripts/make-icons.ts')
  })

  it('has every icon it names, rendered from resources/icon.svg at the right sizes', () => {
    expect(readFileSync(join(ROOT, 'resources/icon.svg'), 'utf8')).toContain('<svg')
    for (const m of yml.matchAll(/^ {2}icon: (\S+)$/gm)) {
      if (m[1].endsWith('.png')) expect(pngSize(join(ROOT, m[1])), m[1]).toEqual([1024, 1024])
    }
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) expect(pngSize(join(ROOT, `resources/icons/${size}x${size}.png`))).toEqual([size, size])
  })

  it('associates .jsonl transcripts and .swarmscope bundles with the app', () => {
    const associations = [...yml.matchAll(/- ext: (\S+)\n((?: {4}.*\n)*)/g)].map((m) => ({ ext: m[1], body: m[2] }))
    expect(associations.map((a) => a.ext)).toEqual(['jsonl', 'swarmscope'])
    for (const a of associations) expect(a.body).toMatch(/mimeType: \S+/)
    expect(yml).toMatch(/perMachine: true/) // NSIS registers associations only per machine
  })

  it('ships the Electron build of better-sqlite3 where the app looks for it, and unpacks native modules', () => {
    const to = /extraResources:\n\s+- from: \.native\/electron\/better_sqlite3\.node\n\s+to: (\S+)/.exec(yml)?.[1]
    expect(to).toBe('native/better_sqlite3.node')
    const resources = tempDir()
    mkdirSync(join(resources, 'native'))
    writeFileSync(join(resources, to!), '')
    expect(electronNativeBinding('/app.asar', resources, true)).toBe(join(resources, to!))
    expect(yml).toMatch(/asarUnpack:\n(?:\s+- .*\n)*?\s+- node_modules\/better-sqlite3\/\*\*/)
    expect(yml).toMatch(/npmRebuild: false/)
  })
})
