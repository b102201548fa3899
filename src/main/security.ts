// Pure data and checks, unit-tested in Node: the hardening every window gets.

export const webPreferences = (preload: string) =>
  ({
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    webviewTag: false,
    spellcheck: false,
  }) as const

/** Only our own renderer may call the core: a file:// page from our out dir, or the dev server. */
export function isTrustedSender(url: string, rendererRoot: string, devUrl?: string): boolean {
  if (devUrl && url.startsWith(devUrl)) return true
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
export const isExternalLink = (url: string) => /^https?:\/\//.test(url)
