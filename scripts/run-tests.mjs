#!/usr/bin/env node
// `npm test`: typecheck, lint, unit/integration (vitest), build, e2e (Playwright + Chromium).
// Ends with one plain line `N passed, N failed[, N skipped]` summing every suite, because CI
// reads that line and not vitest's or Playwright's own summaries. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

const totals = { passed: 0, failed: 0, skipped: 0 }
const failures = []
const only = process.argv.slice(2) // e.g. `npm test -- unit` runs one step

function run(label, cmd, args) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`)
  const started = Date.now()
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' } })
  console.log(`=== ${label}: ${r.status === 0 ? 'ok' : `exit ${r.status ?? r.signal}`} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return r.status === 0
}

/** A step that is one check (typecheck, lint, build). */
function check(label, cmd, args) {
  const ok = run(label, cmd, args)
  if (ok) totals.passed++
  else {
    totals.failed++
    failures.push(label)
  }
  return ok
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return null
  }
}

const want = (step) => only.length === 0 || only.includes(step)
mkdirSync('test-results', { recursive: true })

if (want('typecheck')) {
  for (const project of ['tsconfig.core.json', 'tsconfig.node.json', 'tsconfig.web.json']) check(`typecheck ${project}`, 'npx', ['tsc', '-p', project])
}
if (want('lint')) check('lint', 'npx', ['eslint', '--max-warnings', '0', '.'])

if (want('unit')) {
  rmSync('test-results/unit.json', { force: true })
  const ok = run('unit', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/unit.json'])
  const report = readJson('test-results/unit.json')
  if (report) {
    totals.passed += report.numPassedTests
    totals.failed += report.numFailedTests
    totals.skipped += report.numPendingTests + report.numTodoTests
    // A suite that fails to load has no failed test in it; count it so it cannot pass silently.
    const brokenSuites = report.testResults.filter((s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed'))
    totals.failed += brokenSuites.length
    if (!ok) failures.push('unit')
  } else if (!ok) {
    totals.failed++
    failures.push('unit (no report)')
  }
}

if (want('e2e')) {
  const built = check('build', 'npx', ['electron-vite', 'build'])
  if (built) {
    rmSync('test-results/e2e.json', { force: true })
    const ok = run('e2e', 'npx', ['playwright', 'test'])
    const report = readJson('test-results/e2e.json')
    if (report?.stats) {
      totals.passed += report.stats.expected + (report.stats.flaky ?? 0)
      totals.failed += report.stats.unexpected
      totals.skipped += report.stats.skipped
      if (report.errors?.length) totals.failed += report.errors.length
      if (!ok) failures.push('e2e')
    } else if (!ok || !existsSync('test-results/e2e.json')) {
      totals.failed++
      failures.push('e2e (no report)')
    }
  }
}

if (failures.length) console.log(`\nfailed steps: ${failures.join(', ')}`)
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`)
process.exit(totals.failed > 0 || failures.length > 0 ? 1 : 0)
