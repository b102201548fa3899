import { z } from 'zod'
import { Health } from '../dto'

export const systemRoutes = {
  'system.health': { input: z.object({}), output: Health, http: ['GET', '/health'] },
} as const
