import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isExternalLink, isTrustedSender, webPreferences } from '../../src/main/security'
import { VERSION } from '../../src/shared/version'

describe('Electron shell logic (plain Node, no Electron binary needed)', () => {
  it('hardens every window', () => {
    expect(webPreferences('/p.cjs')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false })
  })

  it('trusts only our own renderer as an IPC sender', () => {
    expect(isTrustedSender('file:///opt/app/out/renderer/index.html', '/opt/app/out/renderer')).toBe(true)
    expect(isTrustedSender('file:///opt/app/out/renderer-evil/index.html', '/opt/app/out/renderer')).toBe(false)
    expect(isTrustedSender('https://example.com/', '/opt/app/out/renderer')).toBe(false)
    expect(isTrustedSender('http://localhost:5173/', '/opt/app/out/renderer', 'http://localhost:5173')).toBe(true)
    expect(isTrustedSender('not a url', '/x')).toBe(false)
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
