import { sep } from 'node:path'

/**
 * Files dropped on the UI in a browser are uploaded by the host into
 * `<tmp>/swarmscope-uploads-XXXXXX/<upload id>/` (server/uploads.ts), imported from there, and
 * deleted: those paths say nothing about where the files were. Two things follow:
 *  - a claude-flow project there is known by its folder's name (`upload:my-swarm`), so that the
 *    same project dropped again is the same run rather than one more (its run id is otherwise a
 *    hash of its absolute path);
 *  - the import does not remember those files (imported_files, file_runs): no later import
 *    will find them at that path, and each drop would leave its rows behind.
 */
export const UPLOADS_PREFIX = 'swarmscope-uploads-'

const UPLOAD = new RegExp(`[\\\\/]${UPLOADS_PREFIX}[^\\\\/]+[\\\\/][0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:[\\\\/](.*))?$`)

/** The place of `path` inside an upload (`my-swarm`, or '' for the upload's own folder), or null when it is not in one. */
export function uploadPlace(path: string): string | null {
  const m = UPLOAD.exec(path)
  return m ? (m[1] ?? '').split(sep).join('/') : null
}

/** Whether `path` is a file inside an upload. */
export const inUpload = (path: string): boolean => UPLOAD.test(path)
