import type { Command } from 'commander'
import type { Core } from '../core'
import { openCore, type GlobalOptions } from './context'

/** Opens the core for one command and always closes it, whatever the action does. */
export async function withCore(cmd: Command, action: (core: Core, opts: GlobalOptions) => Promise<void>): Promise<void> {
  const opts = cmd.optsWithGlobals<GlobalOptions>()
  const core = openCore(opts)
  try {
    await action(core, opts)
  } finally {
    core.close()
  }
}

/** A transient status line on a terminal; nothing at all when stderr is a pipe or a file. */
export function progress(text: string, opts: GlobalOptions = {}): void {
  if (process.stderr.isTTY && !opts.json) process.stderr.write(`\r\x1b[2K${text}`)
}
export function progressDone(opts: GlobalOptions = {}): void {
  if (process.stderr.isTTY && !opts.json) process.stderr.write('\r\x1b[2K')
}
