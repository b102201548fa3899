import { describe, expect, it } from 'vitest'
import { PendingOpens, isBundlePath, pathsFromArgv, pathsFromSecondInstance } from '../../src/main/open-paths'

describe('paths from the command line, second launches and open-file', () => {
  it('drops the executable, the app path (unpackaged) and switches, and resolves relative paths', () => {
    expect(pathsFromArgv(['/usr/bin/electron', '/work/app', 'a.jsonl', '--inspect=9229', '/abs/b'], { cwd: '/home/u', packaged: false })).toEqual(['/home/u/a.jsonl', '/abs/b'])
    expect(pathsFromArgv(['/opt/Swarmscope/swarmscope', 'runs/x.swarmscope'], { cwd: '/home/u', packaged: true })).toEqual(['/home/u/runs/x.swarmscope'])
    // Playwright and Chromium put switches before the app path; macOS adds -psn_… from Finder.
    expect(pathsFromArgv(['electron', '--remote-debugging-port=0', '/work/app', '-psn_0_1234', '--original-process-start-time=1'], { cwd: '/', packaged: false })).toEqual([])
  })

  it('treats everything after -- as a path, once each', () => {
    expect(pathsFromArgv(['app', '--', '-weird-name.jsonl', 'x', 'x'], { cwd: '/d', packaged: true })).toEqual(['/d/-weird-name.jsonl', '/d/x'])
    // `swarmscope open` starts unpackaged Electron as: electron <root> -- <paths>
    expect(pathsFromArgv(['electron', '/root', '--', '/p/session.jsonl'], { cwd: '/', packaged: false })).toEqual(['/p/session.jsonl'])
  })

  it('prefers the paths a second instance resolved itself over its reordered argv', () => {
    const ctx = { cwd: '/second/cwd', packaged: true }
    expect(pathsFromSecondInstance({ paths: ['/a/one.jsonl'] }, ['app', '--allow-file-access-from-files', 'other'], ctx)).toEqual(['/a/one.jsonl'])
    expect(pathsFromSecondInstance(null, ['app', '--allow-file-access-from-files', 'rel.jsonl'], ctx)).toEqual(['/second/cwd/rel.jsonl'])
    expect(pathsFromSecondInstance({ paths: ['relative/not/trusted'] }, ['app', 'b.jsonl'], ctx)).toEqual(['/second/cwd/b.jsonl'])
  })

  it('knows a bundle by its extension', () => {
    expect(isBundlePath('/x/Team.SwarmScope')).toBe(true)
    expect(isBundlePath('/x/session.jsonl')).toBe(false)
  })

  it('holds paths until the window can take them, then passes them on in order without repeats', () => {
    const pending = new PendingOpens()
    const got: string[][] = []
    pending.add(['/a', '/b'])
    pending.add(['/a', '/c'])
    pending.attach((p) => got.push(p))
    expect(got).toEqual([['/a', '/b', '/c']])
    pending.add(['/d'])
    expect(got).toEqual([['/a', '/b', '/c'], ['/d']])
    pending.detach()
    pending.add(['/e'])
    expect(got).toHaveLength(2)
    pending.attach((p) => got.push(p))
    expect(got[2]).toEqual(['/e'])
  })
})
