import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { cspProblems, hardenContents, isExternalLink, isTrustedSender, permissionAllowed, webPreferences, type HardenableContents } from '../../src/main/security'
import { VERSION } from '../../src/shared/version'

describe('Electron shell logic (plain Node, no Electron binary needed)', () => {
  it('hardens every window', () => {
    const hardened = { contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false }
    expect(webPreferences('/p.cjs')).toMatchObject({ preload: '/p.cjs', ...hardened })
    // The hidden PDF window gets the same, without our preload.
    expect(webPreferences()).toEqual(expect.objectContaining(hardened))
    expect(webPreferences()).not.toHaveProperty('preload')
  })

  it('ships a renderer CSP with our scripts only: no inline or eval, no plugins, no base or form hijack', () => {
    const html = readFileSync(new URL('../../src/renderer/index.html', import.meta.url), 'utf8')
    const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(policy).toBeDefined()
    expect(cspProblems(policy!)).toEqual([])
    expect(cspProblems("default-src 'self'; script-src 'self' 'unsafe-eval'")).toEqual(expect.arrayContaining(['script-src should be \'self\'', 'object-src should be \'none\'']))
  })

  it('refuses navigation, new windows and <webview>; sends http(s) links to the browser', () => {
    // A WebContents stand-in: an EventEmitter with Electron's window-open hook.
    const contents = Object.assign(new EventEmitter(), { openHandler: null as null | ((d: { url: string }) => { action: 'deny' }) })
    const stub = contents as unknown as HardenableContents & { openHandler: (d: { url: string }) => { action: 'deny' } }
    stub.setWindowOpenHandler = (h) => (contents.openHandler = h)
    const external: string[] = []
    const refused: string[] = []
    hardenContents(stub, { openExternal: (u) => external.push(u), refused: (what, url) => refused.push(`${what} ${url}`) })
    const event = () => ({ prevented: false, preventDefault() { this.prevented = true } })
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = event()
      contents.emit(name, e, 'file:///etc/passwd')
      expect(e.prevented, name).toBe(true)
    }
    expect(contents.openHandler!({ url: 'https://docs.example.com/x' })).toEqual({ action: 'deny' })
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(external).toEqual(['https://docs.example.com/x'])
    expect(refused).toEqual(['will-navigate file:///etc/passwd', 'will-redirect file:///etc/passwd', 'will-attach-webview ', 'window.open file:///etc/passwd'])
  })

  it('denies permission requests by default', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb']) expect(permissionAllowed(p), p).toBe(false)
    expect(permissionAllowed('clipboard-sanitized-write')).toBe(true)
  })

  it('trusts only our own renderer as an IPC sender', () => {
    expect(isTrustedSender('file:///opt/app/out/renderer/index.html', '/opt/app/out/renderer')).toBe(true)
    expect(isTrustedSender('file:///opt/app/out/renderer-evil/index.html', '/opt/app/out/renderer')).toBe(false)
    expect(isTrustedSender('https://example.com/', '/opt/app/out/renderer')).toBe(false)
    expect(isTrustedSender('http://localhost:5173/', '/opt/app/out/renderer', 'http://localhost:5173')).toBe(true)
    expect(isTrustedSender('not a url', '/x')).toBe(false)
    expect(isTrustedSender('http://localhost:51730/', '/opt/app/out/renderer', 'http://localhost:5173')).toBe(false)
  })

  it('opens only http(s) links externally', () => {
    expect(isExternalLink('https://docs.example.com')).toBe(true)
    expect(isExternalLink('file:///etc/passwd')).toBe(false)
    expect(isExternalLink('javascript:alert(1)')).toBe(false)
  })

  it('reports the version from package.json', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version)
  })
})
