import { randomUUID } from 'node:crypto'
import { createWriteStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname, join, normalize, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Core } from '../core'
import type { ImportResult } from '../shared/dto'
import { UPLOADS_PREFIX } from '../core/ingest/upload-place'
import { scratchDir } from '../core/platform/scratch'

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

/**
 * A browser cannot hand us file paths, so dropped files are uploaded into a scratch folder
 * (keeping their relative paths, e.g. `<session>/subagents/agent-x.jsonl`) and imported from
 * there with the same `import.paths` route the CLI and Electron use.
 *
 *   POST /api/v1/uploads                      → { uploadId }
 *   PUT  /api/v1/uploads/:id/files?path=REL   raw file body, streamed to disk
 *   POST /api/v1/uploads/:id/import           { group?, tags?, importId? } → ImportResult
 *   DELETE /api/v1/uploads/:id                an upload given up on (cancelled, failed) is removed
 *
 * Where the files were is unknown here: see core/ingest/upload-place.ts for what that changes.
 */
export class UploadArea {
  private readonly root = scratchDir(UPLOADS_PREFIX)
  private readonly open = new Set<string>()

  constructor(private readonly core: Core) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const parts = url.pathname.split('/').filter(Boolean) // api v1 uploads [id] [files|import]
    const id = parts[3]
    if (req.method === 'POST' && parts.length === 3) {
      const uploadId = randomUUID()
      mkdirSync(join(this.root, uploadId))
      this.open.add(uploadId)
      return send(res, 200, { ok: true, data: { uploadId } })
    }
    if (!id || !this.open.has(id)) return send(res, 404, { ok: false, error: { code: 'not_found', message: 'no such upload' } })
    const dir = join(this.root, id)
    if (req.method === 'DELETE' && parts.length === 4) {
      this.open.delete(id)
      rmSync(dir, { recursive: true, force: true })
      return send(res, 200, { ok: true, data: { removed: true } })
    }
    if (req.method === 'PUT' && parts[4] === 'files') {
      const rel = normalize(url.searchParams.get('path') ?? '').replace(/^([/\\])+/, '')
      const target = join(dir, rel)
      if (!rel || !target.startsWith(dir + sep)) return send(res, 400, { ok: false, error: { code: 'bad_request', message: 'bad file path' } })
      mkdirSync(dirname(target), { recursive: true })
      try {
        await pipeline(req, createWriteStream(target))
      } catch (e) {
        // An upload cut off part-way (the file changed, the page cancelled) leaves nothing to import.
        rmSync(target, { force: true })
        throw e
      }
      return send(res, 200, { ok: true, data: { path: rel } })
    }
    if (req.method === 'POST' && parts[4] === 'import') {
      const chunks: Buffer[] = []
      for await (const c of req as AsyncIterable<Buffer>) chunks.push(c)
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {}
      try {
        // Each dropped item is named explicitly (an unknown file is reported); dropped folders are walked.
        const all = readdirSync(dir).map((name) => join(dir, name))
        if (all.length === 0) return send(res, 400, { ok: false, error: { code: 'bad_request', message: 'nothing was uploaded' } })
        // A Swarmscope bundle dropped on the window opens as it does from File › Open….
        const isBundle = (p: string) => p.endsWith('.swarmscope') && statSync(p).isFile()
        const bundles = all.filter(isBundle)
        const paths = all.filter((p) => !isBundle(p))
        const opened = await this.openBundles(bundles, dir)
        const result = paths.length ? await this.core.call('import.paths', { ...body, paths } as never) : opened.result
        if (!result.ok) return send(res, 400, result)
        if (paths.length) {
          result.data.runs.push(...opened.result.data.runs)
          result.data.skipped.push(...opened.result.data.skipped)
          result.data.kept.push(...opened.result.data.kept)
          result.data.files += bundles.length
        }
        // Skipped entries name the file as the user knows it, not our scratch folder.
        for (const s of result.data.skipped) s.file = s.file.startsWith(dir + sep) ? s.file.slice(dir.length + 1) : s.file
        return send(res, 200, result)
      } finally {
        this.open.delete(id)
        rmSync(dir, { recursive: true, force: true })
      }
    }
    return send(res, 405, { ok: false, error: { code: 'bad_request', message: 'unsupported upload request' } })
  }

  /** Imports dropped bundles: their runs, a refused bundle as a skipped file, runs already stored as kept. */
  private async openBundles(bundles: string[], dir: string) {
    const data: ImportResult = { runs: [], skipped: [], files: bundles.length, unchanged: 0, kept: [] }
    for (const path of bundles) {
      const r = await this.core.call('bundle.import', { path })
      if (r.ok) {
        data.runs.push(...r.data.runs)
        data.kept.push(...r.data.existing)
      } else data.skipped.push({ file: path.slice(dir.length + 1), line: null, reason: r.error.message.replace(`${path} is `, '').split(dir + sep).join('') })
    }
    return { result: { ok: true as const, data } }
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true })
  }
}
