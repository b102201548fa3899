import { mapHookDeliveries } from '../live/hooks'
import type { LiveHub } from '../live/hub'
import type { HandlersFor } from './types'

export const HOOK_SOURCE = 'hooks'

export function liveHandlers(hub: LiveHub): HandlersFor<'live'> {
  return {
    'live.health': () => hub.health(),
    'live.hooks': async (i) => {
      const source = hub.source(HOOK_SOURCE, 'hook', 'Claude Code hooks')
      if (source.state === 'starting') source.setState('listening')
      const { records, rejected } = mapHookDeliveries(i.deliveries)
      source.rejected += rejected.length
      // Hooks are few and each one matters: never sampled. Answered after COMMIT, so the hook may forget it.
      await hub.write(source, records)
      return { accepted: i.deliveries.length - rejected.length, rejected: rejected.length }
    },
  }
}
