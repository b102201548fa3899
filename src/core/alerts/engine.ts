import { randomUUID } from 'node:crypto'
import type { AppConfig } from '../../shared/config'
import type { AlertRecord, Delivery } from '../../shared/integrations-dto'
import { deliver } from './deliver'
import { appendAlerts, readAlerts } from './history'
import type { Finding } from './rules'

/** Delivers one alert to every webhook at once; each webhook retries on its own schedule. */
export function deliverAll(config: AppConfig, alert: AlertRecord): Promise<Delivery[]> {
  const { attempts, backoffMs, timeoutMs } = config.alerts
  return Promise.all(config.alerts.webhooks.map((hook) => deliver(hook, alert, { attempts, backoffMs, timeoutMs })))
}

/**
 * Records findings as alerts and delivers them. A rule fires once per run (or, for findings
 * without a run, once until its value changes) unless `force`: re-importing a run or a second
 * evaluation does not page anyone twice.
 */
export async function fireAlerts(dbPath: string, config: AppConfig, findings: Finding[], o: { deliver: boolean; force: boolean }): Promise<AlertRecord[]> {
  const seen = new Set(readAlerts(dbPath).map((a) => dedupKey(a)))
  const fresh = findings.filter((f) => o.force || !seen.has(dedupKey(f)))
  const fired = await Promise.all(
    fresh.map(async (f) => {
      const alert: AlertRecord = { ...f, id: randomUUID(), firedAt: new Date().toISOString(), deliveries: [] }
      if (o.deliver) alert.deliveries = await deliverAll(config, alert)
      return alert
    }),
  )
  appendAlerts(dbPath, fired)
  return fired
}

const dedupKey = (f: Pick<Finding, 'ruleId' | 'runId' | 'value'>) => (f.runId ? `${f.ruleId}\u0000${f.runId}` : `${f.ruleId}\u0000#${f.value}`)
