export { createCore, type Core } from './core'
export { defaultDataDir, defaultDbPath } from './platform/paths'
export { findChromium, CHROMIUM_HINT } from './platform/chromium'
