import type { Core } from '../core'
import type { ShellCommand } from '../shared/shell'
import { isBundlePath } from './open-paths'

// What opening files and folders does, however they arrived (menu, double-click, dock, CLI,
// second instance): bundles are validated and imported, everything else goes through the
// core's import.paths; the core then emits runs.changed, which the renderer already handles.

export interface OpenDeps {
  core: Pick<Core, 'call'>
  /** Pushes a message to the renderer (window.api.on('shell.command', …)). */
  notify(command: ShellCommand): void
  addRecent(path: string): void
  /** A native error box in the app; the summary is one sentence per problem. */
  showError(title: string, message: string): void
  log: { info(m: string, d?: unknown): void; warn(m: string, d?: unknown): void }
}

export interface OpenOutcome {
  runIds: string[]
  problems: string[]
}

export async function openPaths(paths: readonly string[], d: OpenDeps): Promise<OpenOutcome> {
  const runIds: string[] = []
  const problems: string[] = []
  d.log.info('opening', paths)
  for (const path of paths.filter(isBundlePath)) {
    const r = await d.core.call('bundle.import', { path })
    if (!r.ok) {
      problems.push(r.error.message)
      continue
    }
    d.addRecent(path)
    // A run already in the store is still what the user wants to look at.
    runIds.push(...r.data.runs.map((x) => x.id), ...r.data.existing)
  }
  const others = paths.filter((p) => !isBundlePath(p))
  if (others.length) {
    const r = await d.core.call('import.paths', { paths: others })
    if (!r.ok) problems.push(r.error.message)
    else {
      runIds.push(...r.data.runs.map((x) => x.id))
      const failed = new Set(r.data.skipped.filter((s) => s.line === null).map((s) => s.file))
      for (const p of others) if (!failed.has(p)) d.addRecent(p)
      // Lines skipped inside files that otherwise imported are listed by the renderer's import summary; whole files are worth a dialog.
      if (r.data.runs.length === 0) problems.push(...r.data.skipped.map((s) => `${s.file}${s.line ? `:${s.line}` : ''}: ${s.reason}`))
    }
  }
  if (runIds.length) d.notify({ command: 'show-run', runId: runIds[0] })
  if (problems.length) {
    d.log.warn('open failed', problems)
    d.showError(runIds.length ? 'Some files could not be opened' : 'Nothing could be opened', problems.slice(0, 10).join('\n'))
  }
  return { runIds: [...new Set(runIds)], problems }
}
