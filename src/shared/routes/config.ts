import { z } from 'zod'
import { ConfigView } from '../integrations-dto'

export const configRoutes = {
  'config.get': { input: z.object({}), output: ConfigView, http: ['GET', '/config'] },
  /** Sets settings by dotted key (`server.port`, `alerts.webhooks`…); all are validated together and saved only if valid. */
  'config.set': {
    input: z.object({ values: z.record(z.string().min(1), z.unknown()) }),
    output: ConfigView,
    http: ['PUT', '/config'],
  },
  /** Restores the defaults of the given keys, or of everything. */
  'config.reset': { input: z.object({ keys: z.array(z.string().min(1)).optional() }), output: ConfigView, http: ['POST', '/config/reset'] },
} as const
