import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const cwd = new URL('../..', import.meta.url).pathname

async function lint(code: string, filePath: string) {
  const eslint = new ESLint({ cwd })
  const [result] = await eslint.lintText(code, { filePath })
  return result.messages.map((m) => m.ruleId)
}

describe('the core stays runtime-agnostic (lint rule)', () => {
  it.each([
    ["import { app } from 'electron'\nexport const a = app\n", 'src/core/probe.ts'],
    ["import React from 'react'\nexport const r = React\n", 'src/core/ingest/probe.ts'],
    ["import * as e from 'echarts/core'\nexport const x = e\n", 'src/shared/probe.ts'],
    ["export const w = window.location\n", 'src/core/probe.ts'],
  ])('rejects %j in %s', async (code, file) => {
    const rules = await lint(code, file)
    expect(rules.some((r) => r === '@typescript-eslint/no-restricted-imports' || r === 'no-restricted-globals')).toBe(true)
  })

  it('allows the same import in the Electron shell', async () => {
    expect(await lint("import { app } from 'electron'\nexport const a = app\n", 'src/main/probe.ts')).toEqual([])
  })
})
