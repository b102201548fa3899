// Pure data and checks, unit-tested in Node: the hardening every window gets. index.ts applies
// them to every webContents the app creates (app 'web-contents-created'), not only the main
// window, so a hidden PDF window or DevTools gets the same rules.

export const webPreferences = (preload?: string) =>
  ({
    ...(preload ? { preload } : {}),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  }) as const

/**
 * What the renderer's page must declare (src/renderer/index.html carries it as a meta tag, which
 * also covers file:// loads where response headers cannot be set): our own scripts only, no
 * eval, no plugins, no <base> hijack, no form posts.
 */
export const REQUIRED_CSP = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
} as const

export function parseCsp(policy: string): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name) out[name.toLowerCase()] = values
  }
  return out
}

/** The REQUIRED_CSP directives the policy lacks or weakens (unsafe-inline/unsafe-eval scripts). */
export function cspProblems(policy: string): string[] {
  const csp = parseCsp(policy)
  const problems: string[] = []
  for (const [name, values] of Object.entries(REQUIRED_CSP)) {
    const got = csp[name]
    if (!got || values.some((v) => !got.includes(v)) || got.length !== values.length) problems.push(`${name} should be ${values.join(' ')}`)
  }
  const scripts = csp['script-src'] ?? csp['default-src'] ?? []
  if (scripts.some((v) => v === "'unsafe-inline'" || v === "'unsafe-eval'")) problems.push('scripts must not allow unsafe-inline or unsafe-eval')
  return problems
}

/** Only our own renderer may call the core: a file:// page from our out dir, or the dev server. */
export function isTrustedSender(url: string, rendererRoot: string, devUrl?: string): boolean {
  if (devUrl) {
    try {
      if (new URL(url).origin === new URL(devUrl).origin) return true
    } catch {
      return false
    }
  }
  try {
    const u = new URL(url)
    if (u.protocol !== 'file:') return false
    const path = decodeURIComponent(u.pathname).replace(/^\/([A-Za-z]:)/, '$1')
    const root = rendererRoot.replace(/\\/g, '/')
    return path.replace(/\\/g, '/').startsWith(root.endsWith('/') ? root : root + '/')
  } catch {
    return false
  }
}

/** Links leave the app for the system browser; anything else is refused. */
export const isExternalLink = (url: string) => /^https?:\/\//i.test(url)

/**
 * Permissions the page may have. Writing text to the clipboard (the UI's copy buttons) is
 * harmless; everything else (camera, notifications, clipboard-read, geolocation, …) is refused.
 */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])
export const permissionAllowed = (permission: string): boolean => ALLOWED_PERMISSIONS.has(permission)

/** The parts of Electron's WebContents the hardening touches (an interface, so Node tests can drive it). */
export interface HardenableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (e: { preventDefault(): void }, url: string) => void): unknown
  on(event: 'will-attach-webview', listener: (e: { preventDefault(): void }) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

/**
 * No navigation away from the app (a dropped file or a clicked link would otherwise replace the
 * UI with something that has our preload), no new windows (http(s) links go to the browser), no
 * <webview>.
 */
export function hardenContents(contents: HardenableContents, hooks: { openExternal(url: string): void; refused(what: string, url: string): void }): void {
  for (const event of ['will-navigate', 'will-redirect'] as const) {
    contents.on(event, (e, url) => {
      e.preventDefault()
      hooks.refused(event, url)
    })
  }
  contents.on('will-attach-webview', (e) => {
    e.preventDefault()
    hooks.refused('will-attach-webview', '')
  })
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) hooks.openExternal(url)
    else hooks.refused('window.open', url)
    return { action: 'deny' }
  })
}
