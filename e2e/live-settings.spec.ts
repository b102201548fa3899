/// <reference lib="dom" />
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { expect, test } from './host'
import { SHOWCASE_MAIN, sessionFacts } from '../test/helpers/transcript-facts'

// A user points the running host at a folder of their own from the Settings screen, turns
// sampling down, and sees the folder tailed without restarting anything.

test('live settings: add a folder to tail and change sampling; the running host applies them and the transcript shows up', async ({ page, host }) => {
  const folder = mkdtempSync(join(tmpdir(), 'swarmscope-e2e-watch-'))
  try {
    await page.goto(`${host.url}#/settings`)
    const form = page.getByTestId('live-settings')
    await expect(form).toBeVisible()
    await page.getByTestId('watch-claude-projects').uncheck()
    await page.getByLabel('Folder to tail').fill(folder)
    await page.getByLabel('Folder to tail').press('Enter')
    await expect(page.getByTestId('watch-list')).toContainText(folder)
    await page.getByTestId('sample-rate').fill('50')
    await page.getByTestId('live-save').click()
    await expect(page.getByTestId('live-save')).toBeDisabled()

    // What was saved is what the file says.
    const config = JSON.parse(readFileSync(join(dirname(host.dbPath), 'config.json'), 'utf8')) as { live: { watch: string[]; watchClaudeProjects: boolean; sampling: { rate: number } } }
    expect(config.live).toMatchObject({ watch: [folder], watchClaudeProjects: false, sampling: { rate: 0.5 } })

    // …and what runs follows it within a second or two.
    await expect(page.getByTestId('live-sources-table')).toContainText(`files in ${folder}`, { timeout: 10_000 })
    await expect(page.getByTestId('sampling')).toContainText('configured 50 %')
    await expect(page.getByTestId('live-sources-table')).not.toContainText('.claude/projects')
    await page.screenshot({ path: 'e2e/artifacts/settings-live.png', fullPage: true })

    // A transcript written into the folder becomes a run in the library.
    const [session, facts] = [...sessionFacts([SHOWCASE_MAIN])][0]
    mkdirSync(join(folder, 'project'))
    copyFileSync(SHOWCASE_MAIN, join(folder, 'project', `${session}.jsonl`))
    await page.getByTestId('nav-library').click()
    const row = page.locator(`[data-run-id="cc-${session}"]`)
    await expect(row).toBeVisible({ timeout: 10_000 })
    await expect(page.getByTestId('runs-count')).toContainText('1 of 1 runs')
    expect(facts.llmCalls).toBeGreaterThan(0)

    // A bad value is refused with the reason, and nothing is saved.
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('sample-rate').fill('0')
    await page.getByTestId('live-save').click()
    await expect(page.getByTestId('live-error')).toContainText('live.sampling.rate')
    const after = JSON.parse(readFileSync(join(dirname(host.dbPath), 'config.json'), 'utf8')) as { live: { sampling: { rate: number } } }
    expect(after.live.sampling.rate).toBe(0.5)
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
})
