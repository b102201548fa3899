import type { AlertRecord } from '../../shared/integrations-dto'
import { deliverAll, fireAlerts } from '../alerts/engine'
import { readAlerts } from '../alerts/history'
import { evaluateRunRules } from '../alerts/rules'
import { loadConfig } from '../config/file'
import { expandRef } from './analysis'
import type { CoreContext, HandlersFor } from './types'

export const alertHandlers = ({ store }: CoreContext): HandlersFor<'alerts'> => ({
  'alerts.list': (i) => ({
    alerts: readAlerts(store.path).filter((a) => !i.runId || a.runId === i.runId).slice(0, i.limit),
    rules: loadConfig(store.path).alerts.rules,
  }),
  'alerts.evaluate': async (i) => {
    const config = loadConfig(store.path)
    // Asked after every import for the runs it touched: without rules there is nothing to read.
    if (config.alerts.rules.length === 0) return { fired: [] }
    const count = (store.read.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n
    if (count === 0 && !i.runs) return { fired: [] }
    const ids = [...new Set((i.runs ?? ['latest']).flatMap((ref) => expandRef(store.read, ref).flat()))]
    const findings = ids.flatMap((id) => evaluateRunRules(store.read, id, config.alerts.rules))
    return { fired: await fireAlerts(store.path, config, findings, { deliver: i.deliver, force: i.force }) }
  },
  'alerts.test': async () => {
    const config = loadConfig(store.path)
    const alert: AlertRecord = {
      id: 'test', ruleId: 'test', kind: 'test', runId: null, severity: 'warning', title: 'Swarmscope test alert',
      message: 'This is a test of the alert webhooks configured in Swarmscope.', value: null, threshold: null,
      firedAt: new Date().toISOString(), deliveries: [],
    }
    return { deliveries: await deliverAll(config, alert) }
  },
})
