import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { crashDetails, crashDialog, CRASH_BUTTONS } from '../../src/main/crash-report'
import { exportDialog, importFolderDialog, openFilesDialog, withExtension } from '../../src/main/dialogs'
import { MAX_RECENT, recentDocuments } from '../../src/main/recent-documents'
import { rotatingLog } from '../../src/main/rotating-log'
import { tempDir } from '../helpers/temp'

describe('recent documents', () => {
  it('keeps the newest first, once each, at most MAX_RECENT, and forgets files that are gone', () => {
    const dir = tempDir()
    const files = Array.from({ length: MAX_RECENT + 2 }, (_, i) => join(dir, `f${i}.jsonl`))
    files.forEach((f) => writeFileSync(f, ''))
    const recent = recentDocuments(join(dir, 'recent.json'), existsSync)
    for (const f of files) recent.add(f)
    recent.add(files[3])
    const list = recent.list()
    expect(list).toHaveLength(MAX_RECENT)
    expect(list[0]).toBe(files[3])
    expect(list[1]).toBe(files.at(-1))
    writeFileSync(join(dir, 'recent.json'), JSON.stringify([join(dir, 'missing.jsonl'), files[0], 7]))
    expect(recent.list()).toEqual([files[0]])
    recent.clear()
    expect(recent.list()).toEqual([])
  })

  it('starts empty when the file is missing or corrupt', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'recent.json'), '{not json')
    expect(recentDocuments(join(dir, 'recent.json'), existsSync).list()).toEqual([])
    expect(recentDocuments(join(dir, 'none.json'), existsSync).list()).toEqual([])
  })
})

describe('main-process log', () => {
  it('writes timestamped lines with error stacks and rotates by size, keeping N old files', () => {
    const dir = tempDir()
    const file = join(dir, 'logs', 'main.log')
    const log = rotatingLog(file, { maxBytes: 200, keep: 2, now: () => new Date('2025-01-02T03:04:05Z') })
    log.info('started', { userData: '/u' })
    expect(readFileSync(file, 'utf8')).toBe('2025-01-02T03:04:05.000Z INFO  started {"userData":"/u"}\n')
    for (let i = 0; i < 20; i++) log.info(`line ${i} ${'x'.repeat(40)}`)
    expect(existsSync(`${file}.1`)).toBe(true)
    expect(existsSync(`${file}.2`)).toBe(true)
    expect(existsSync(`${file}.3`)).toBe(false)
    for (const f of [file, `${file}.1`, `${file}.2`]) expect(readFileSync(f).length).toBeLessThanOrEqual(200)
    expect(readFileSync(file, 'utf8')).toContain('line 19')
  })
})

describe('crash dialog', () => {
  it('offers Copy Details with everything a bug report needs', () => {
    const err = new Error('boom')
    const details = crashDetails('Swarmscope hit an unexpected error', err, {
      appVersion: '0.1.0', electron: '45.4.1', chrome: '140', node: '22', platform: 'linux', arch: 'x64', logFile: '/l/main.log', when: new Date('2025-01-01T00:00:00Z'),
    })
    expect(details).toContain('Swarmscope hit an unexpected error: boom')
    expect(details).toContain('Swarmscope 0.1.0 · Electron 45.4.1 · Chrome 140 · Node 22 · linux x64')
    expect(details).toContain('Log: /l/main.log')
    expect(details).toContain(err.stack!.split('\n')[1])
    const box = crashDialog('The Swarmscope window stopped working', details, 'Reload')
    expect(box.buttons).toEqual(['Copy Details', 'Reload', 'Quit'])
    expect(box.buttons![CRASH_BUTTONS.copy]).toBe('Copy Details')
    expect(box.cancelId).toBe(CRASH_BUTTONS.continue)
  })
})

describe('native dialogs', () => {
  it('open logs, bundles and folders, and save with the right extension and a dated name', () => {
    expect(openFilesDialog.properties).toEqual(['openFile', 'multiSelections'])
    expect(openFilesDialog.filters![0].extensions).toEqual(expect.arrayContaining(['jsonl', 'swarmscope']))
    expect(importFolderDialog.properties).toContain('openDirectory')
    const now = new Date('2025-03-04T12:00:00Z')
    expect(exportDialog('bundle', '/docs', 2, now)).toMatchObject({ defaultPath: '/docs/swarmscope-2-runs-2025-03-04.swarmscope', filters: [{ extensions: ['swarmscope'] }] })
    expect(exportDialog('pdf', '/docs', 1, now).defaultPath).toBe('/docs/swarmscope-report-2025-03-04.pdf')
    expect(withExtension('/a/b', '.swarmscope')).toBe('/a/b.swarmscope')
    expect(withExtension('/a/b.PDF', '.pdf')).toBe('/a/b.PDF')
  })
})
