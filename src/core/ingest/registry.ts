import { claudeCodeFormat } from './claude-code/format'
import { claudeFlowJsonFormat } from './claude-flow/json-format'
import { claudeFlowSqliteFormat } from './claude-flow/sqlite'
import type { FormatImporter } from './formats'
import { ndjsonFormat } from './ndjson/format'
import { otlpJsonFormat } from './otlp/format'

/**
 * Every supported format, most specific first. NDJSON comes before Claude Code transcripts: its
 * first record must say `"v": 1` and a record type of ours, where a transcript is known by a
 * `"sessionId"` key near the top, which our own export of a Claude Code run also has (in the
 * run's attributes). Saved as `.jsonl`, such an export was read as a transcript and imported
 * nothing, with nothing skipped.
 */
export const formats: FormatImporter[] = [ndjsonFormat, claudeCodeFormat, claudeFlowJsonFormat, claudeFlowSqliteFormat, otlpJsonFormat]
