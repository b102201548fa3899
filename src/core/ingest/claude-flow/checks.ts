import { pathText, valueText } from '../json-locate'
import { LineError } from '../records'
import { decodeValue, isObj, toMs } from './project'

// The readers' one rule for bad input, after the NDJSON reader: an entry (a task, a worker, an
// action, a table row) with a field of the wrong type or an impossible value is left out whole
// and listed as skipped, naming the field's path; the entries around it still import. Leaving
// the whole entry out keeps the skipped list exact: what it lists is not in the store, and no
// record is built from half of a damaged entry. Absent and null fields are "not there"
// (claude-flow writes `"startedAt": null`), never a problem.

/** Where a value sits: JSON keys and array indexes, or a table column then keys inside its JSON. */
export type Path = (string | number)[]
export interface Problem {
  at: Path
  message: string
}


/** A value as the user wrote it, short enough for one line of a report. */
export const show = (v: unknown): string => valueText(v, 60)

export const describe = (problems: Problem[]): string => problems.map((p) => `${pathText(p.at)}: ${p.message}`).join('; ')

/** Lists a JSON entry as skipped, at the line of its first bad field: `tasks.json: tasks.t-1.progress: expected …`. */
export function rejectEntry(ctx: { stem: string; skip(reason: string, at?: Path[]): void }, problems: Problem[]): void {
  const text = describe(problems)
  ctx.skip(`${ctx.stem}.json${text.startsWith('[') ? '' : ': '}${text}`, problems.map((p) => p.at))
}

/** `tasks row "t-1": created_at: expected a time…`: a table row, named by its id, and its problems. */
export const rowReason = (table: string, row: Record<string, unknown>, problems: Problem[]): string => `${table} row ${show(row.id ?? null)}: ${describe(problems)}`

/** A whole-file problem (no "workers" object…), with where it is when there is a where. */
export class EntryError extends LineError {
  constructor(
    message: string,
    readonly at?: Path,
  ) {
    super(message)
  }
}

const NUMBER = (v: unknown) => typeof v === 'number' && Number.isFinite(v)

/**
 * One entry's fields, each read as the type claude-flow writes. A reader reads every field it
 * uses through here, then writes only when `ok`. Nested objects share the entry's problems.
 */
export class Fields {
  constructor(
    readonly o: Record<string, unknown>,
    readonly at: Path = [],
    readonly problems: Problem[] = [],
  ) {}

  get ok(): boolean {
    return this.problems.length === 0
  }

  problem(key: string | number | null, message: string): void {
    this.problems.push({ at: key === null ? this.at : [...this.at, key], message })
  }

  private read<T>(key: string, expected: string, parse: (v: unknown) => T | undefined): T | null {
    const v = this.o[key]
    if (v === undefined || v === null) return null
    const r = parse(v)
    if (r === undefined) this.problem(key, `expected ${expected}, got ${show(v)}`)
    return r ?? null
  }

  /** A field the entry cannot be without (its id, its time). */
  need<T>(key: string, v: T | null): v is T {
    if (v === null && (this.o[key] === undefined || this.o[key] === null || this.o[key] === '')) this.problem(key, 'missing')
    return v !== null
  }
  text(key: string): string | null {
    return this.read(key, 'a string', (v) => (typeof v === 'string' ? v || null : undefined))
  }
  /** A text id or name that SQLite may hand back as a number (an INTEGER id column). */
  name(key: string): string | null {
    return this.read(key, 'a string', (v) => (typeof v === 'string' ? v || null : typeof v === 'number' && Number.isInteger(v) ? String(v) : undefined))
  }
  bool(key: string): boolean | null {
    return this.read(key, 'true or false', (v) => (typeof v === 'boolean' ? v : undefined))
  }
  number(key: string): number | null {
    return this.read(key, 'a number', (v) => (NUMBER(v) ? (v as number) : undefined))
  }
  /** Runs, successes, steps: whole and never negative. */
  count(key: string): number | null {
    return this.read(key, 'a count (a whole number ≥ 0)', (v) => (NUMBER(v) && Number.isInteger(v) && (v as number) >= 0 ? (v as number) : undefined))
  }
  /** A duration in ms: a clock difference, so never negative. */
  duration(key: string): number | null {
    return this.read(key, 'a duration in ms (a number ≥ 0)', (v) => (NUMBER(v) && (v as number) >= 0 ? (v as number) : undefined))
  }
  percent(key: string): number | null {
    return this.read(key, 'a percentage (0 to 100)', (v) => (NUMBER(v) && (v as number) >= 0 && (v as number) <= 100 ? (v as number) : undefined))
  }
  /** ISO text, epoch ms or s, or SQLite DATETIME text (see toMs); '' is no time. */
  time(key: string): number | null {
    return this.read(key, 'a time (ISO 8601, epoch ms or s, or SQLite datetime)', (v) => (v === '' ? null : (toMs(v) ?? undefined)))
  }
  /** A list of strings (assignees, workers, tags). */
  strings(key: string): string[] {
    return this.read(key, 'a list of strings', (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined)) ?? []
  }
  /** A rank or label that claude-flow writes as text ('medium') in some versions and as a number in others. */
  label(key: string): string | number | null {
    return this.read(key, 'a string or a number', (v) => (typeof v === 'string' || NUMBER(v) ? (v as string | number) : undefined))
  }
  /** A SQLite column holding a JSON list of strings (an agent's capabilities). */
  jsonStrings(key: string): string[] | null {
    return this.read(key, 'a JSON list of strings', (v) => {
      const d = decodeValue(v)
      return Array.isArray(d) && d.every((x) => typeof x === 'string') ? (d as string[]) : undefined
    })
  }
  list(key: string): unknown[] {
    return this.read(key, 'a list', (v) => (Array.isArray(v) ? v : undefined)) ?? []
  }
  obj(key: string): Fields | null {
    const v = this.read(key, 'an object', (x) => (isObj(x) ? x : undefined))
    return v ? new Fields(v, [...this.at, key], this.problems) : null
  }
  /** A SQLite column holding a JSON object (a memory value): decoded, then read like any object. */
  jsonObj(key: string): Fields | null {
    const v = this.read(key, 'a JSON object', (x) => {
      const d = decodeValue(x)
      return isObj(d) ? d : undefined
    })
    return v ? new Fields(v, [...this.at, key], this.problems) : null
  }
  /** A span's end before its start is a broken record, as the NDJSON reader says too. */
  order(startKey: string, endKey: string, start: number | null, end: number | null): void {
    if (start !== null && end !== null && end < start) this.problem(endKey, `is ${start - end} ms before ${startKey}: end before start`)
  }
}
