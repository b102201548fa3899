#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx swarmscope` works right after
// `npm install` with no build step, and can never run stale compiled code.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/main.ts')
