// Every route answers with a Result instead of throwing: error codes survive IPC, HTTP and
// in-process calls alike, while thrown errors lose their type at the first boundary.
export type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'unauthorized'
  | 'conflict'
  | 'unsupported_format'
  | 'io_error'
  | 'cancelled'
  | 'internal'

export interface RouteError {
  code: ErrorCode
  message: string
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: RouteError }

export const ok = <T>(data: T): Result<T> => ({ ok: true, data })
export const fail = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } })

/** An error the core raises on purpose; transports turn it into `{ ok: false }` with its code. */
export class CoreError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'CoreError'
  }
}
