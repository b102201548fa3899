import { claudeCodeFormat } from './claude-code/format'
import { claudeFlowJsonFormat } from './claude-flow/json-format'
import { claudeFlowSqliteFormat } from './claude-flow/sqlite'
import type { FormatImporter } from './formats'
import { ndjsonFormat } from './ndjson/format'
import { otlpJsonFormat } from './otlp/format'

/** Every supported format, most specific first. */
export const formats: FormatImporter[] = [claudeCodeFormat, ndjsonFormat, claudeFlowJsonFormat, claudeFlowSqliteFormat, otlpJsonFormat]
