import type { Webhook } from '../../shared/config'
import type { AlertRecord, Delivery } from '../../shared/integrations-dto'

export interface DeliveryOptions {
  attempts: number
  backoffMs: number
  timeoutMs: number
  /** Replaceable for tests of timing only; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>
}

/** A Slack incoming-webhook body: `text` for notifications, blocks for the message itself. */
export function slackPayload(a: AlertRecord) {
  const icon = a.severity === 'critical' ? ':rotating_light:' : ':warning:'
  return {
    text: `${icon} ${a.title}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: a.title.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: a.message } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Swarmscope · rule \`${a.ruleId}\`${a.runId ? ` · run \`${a.runId}\`` : ''} · ${a.firedAt}` }] },
    ],
  }
}

export function jsonPayload(a: AlertRecord) {
  const { deliveries: _d, ...alert } = a
  return { type: 'swarmscope.alert', version: 1, alert }
}

/** Webhook URLs are secrets (a Slack URL is its own credential): history and the UI show only the host. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}/…`
  } catch {
    return '…'
  }
}

const sleepFor = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
/** 5xx, 408 and 429 are worth another try; any other 4xx will not get better. */
const retryable = (status: number) => status >= 500 || status === 408 || status === 429

/**
 * POSTs an alert to one webhook, retrying with exponential backoff (backoffMs, 2×, 4×…) on
 * network errors, timeouts and retryable statuses. A Retry-After header (seconds) is honoured
 * up to 30 s. Never throws: the outcome is the returned Delivery.
 */
export async function deliver(hook: Webhook, alert: AlertRecord, o: DeliveryOptions): Promise<Delivery> {
  const body = JSON.stringify(hook.format === 'slack' ? slackPayload(alert) : jsonPayload(alert))
  const sleep = o.sleep ?? sleepFor
  let httpStatus: number | null = null
  let error: string | null = null
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    let wait = o.backoffMs * 2 ** (attempt - 1)
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'swarmscope-alerts', ...hook.headers },
        body,
        signal: AbortSignal.timeout(o.timeoutMs),
        redirect: 'error',
      })
      httpStatus = res.status
      await res.arrayBuffer().catch(() => undefined)
      if (res.ok) return { url: maskUrl(hook.url), format: hook.format, status: 'delivered', attempts: attempt, httpStatus, error: null }
      error = `HTTP ${res.status}`
      if (!retryable(res.status)) return { url: maskUrl(hook.url), format: hook.format, status: 'failed', attempts: attempt, httpStatus, error }
      const after = Number(res.headers.get('retry-after'))
      if (Number.isFinite(after) && after > 0) wait = Math.min(30_000, after * 1000)
    } catch (e) {
      httpStatus = null
      const err = e as Error & { cause?: { code?: string } }
      error = err.name === 'TimeoutError' ? `no answer within ${o.timeoutMs} ms` : (err.cause?.code ?? err.message)
    }
    if (attempt < o.attempts) await sleep(wait)
  }
  return { url: maskUrl(hook.url), format: hook.format, status: 'failed', attempts: o.attempts, httpStatus, error }
}
