import { existsSync } from 'node:fs'

// Debian's package, then the usual install places; SWARMSCOPE_CHROME overrides them all.
const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
]

/** The Chromium used for e2e tests and for PDF/PNG rendering outside Electron, or null. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.SWARMSCOPE_CHROME) return existsSync(env.SWARMSCOPE_CHROME) ? env.SWARMSCOPE_CHROME : null
  return CANDIDATES.find((p) => existsSync(p)) ?? null
}

export const CHROMIUM_HINT = 'install Chromium (Debian/Ubuntu: `apt-get install chromium`) or set SWARMSCOPE_CHROME to a Chrome/Chromium executable'
