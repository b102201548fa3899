import { z } from 'zod'
import { AlertRule } from '../config'
import { AlertRecord, Delivery } from '../integrations-dto'

export const alertRoutes = {
  /** Alerts fired so far, newest first, with their deliveries; and the rules in force. */
  'alerts.list': {
    input: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), runId: z.string().min(1).optional() }),
    output: z.object({ alerts: z.array(AlertRecord), rules: z.array(AlertRule) }),
    http: ['GET', '/alerts'],
  },
  /**
   * Evaluates the rules for runs (default: the latest) and delivers what fires to the webhooks.
   * A rule fires once per run unless `force`.
   */
  'alerts.evaluate': {
    input: z.object({ runs: z.array(z.string().min(1)).optional(), deliver: z.boolean().default(true), force: z.boolean().default(false) }),
    output: z.object({ fired: z.array(AlertRecord) }),
    http: ['POST', '/alerts/evaluate'],
  },
  /** Sends a test alert to every configured webhook. */
  'alerts.test': { input: z.object({}), output: z.object({ deliveries: z.array(Delivery) }), http: ['POST', '/alerts/test'] },
} as const
