import { defaultConfig, getConfigValue, setConfigValue, type AppConfig } from '../../shared/config'
import { CoreError } from '../../shared/result'
import { configPathFor, loadConfig, saveConfig } from '../config/file'
import { repriceStored } from './pricing'
import type { CoreContext, HandlersFor } from './types'

/** Applies dotted-key changes in order; the whole result is validated before anything is saved. */
export function changeConfig(config: AppConfig, values: Record<string, unknown>): AppConfig {
  let next = config
  for (const [key, value] of Object.entries(values)) {
    try {
      next = setConfigValue(next, key, value)
    } catch (e) {
      throw new CoreError('bad_request', (e as Error).message)
    }
  }
  return next
}

export const configHandlers = (ctx: CoreContext): HandlersFor<'config'> => {
  const { store } = ctx
  const view = (config: AppConfig) => ({ path: configPathFor(store.path), config })
  /** Saves; stored costs follow when the price overrides changed, as with pricing.set. */
  const save = async (before: AppConfig['pricing']['overrides'], next: AppConfig) => {
    saveConfig(store.path, next)
    if (JSON.stringify(before) !== JSON.stringify(next.pricing.overrides)) await repriceStored(ctx, before, next.pricing.overrides)
    return view(next)
  }
  const overridesNow = () => {
    try {
      return loadConfig(store.path).pricing.overrides
    } catch {
      return [] // an unreadable file: what priced the runs was the built-in table
    }
  }
  return {
    'config.get': () => view(loadConfig(store.path)),
    'config.set': (i) => {
      const current = loadConfig(store.path)
      return save(current.pricing.overrides, changeConfig(current, i.values))
    },
    'config.reset': (i) => {
      if (!i.keys) return save(overridesNow(), defaultConfig())
      // A broken file is replaced by a reset of everything, but a partial reset needs a readable one.
      const current = loadConfig(store.path)
      for (const k of i.keys) {
        try {
          getConfigValue(current, k)
        } catch (e) {
          throw new CoreError('bad_request', (e as Error).message)
        }
      }
      return save(current.pricing.overrides, changeConfig(current, Object.fromEntries(i.keys.map((k) => [k, undefined]))))
    },
  }
}
