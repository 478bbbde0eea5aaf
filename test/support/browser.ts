/**
 * End-to-end support: `riskdesk serve` as a child process on a given database, the demo database, and Debian's
 * Chromium through playwright-core (never a downloaded browser).
 *
 * In the e2e project (vitest.config.ts) the global setup (e2eGlobalSetup.ts) has built the demo database once
 * and started one Chromium per vitest worker: `demoDatabase` copies that database and `e2eBrowser` connects to
 * the worker's Chromium. Run outside that project (a file given to vitest by hand under another config), they
 * build and launch their own, so a file never depends on another.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { copyFileSync, existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'
import { inject } from 'vitest'
import { CHROMIUM, CHROMIUM_ARGS } from './chromium'
import { BIN } from './cli'
import { REPO } from './paths'
import { VIEW_STORAGE_KEY } from '../../src/shared/appStorage'

export { CHROMIUM } from './chromium'

/** Runs a riskdesk command to completion. */
export async function riskdeskCli(db: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, '--db', db, ...args], { cwd: REPO, maxBuffer: 64 << 20 })
  return stdout
}

/** Starts `riskdesk serve` and resolves with the URL it prints (token in the fragment). */
export async function startServe(db: string): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(process.execPath, [BIN, '--db', db, 'serve', '--port', '0'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /served at (\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    server.once('exit', (code) => reject(new Error(`riskdesk serve exited with ${code}: ${out}`)))
  })
  return { server, url }
}

/** A Chromium of this file's own: headless Debian Chromium with WebGL through SwiftShader (chromium.ts). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}

/**
 * This vitest worker's Chromium (started by the e2e global setup), or one launched for this file when there is
 * none. Work in contexts or pages of your own (`browser.newPage()` makes a context per page), and call
 * `browser.close()` when done: on the shared Chromium it only disconnects, closing this file's contexts.
 */
export function e2eBrowser(): Promise<Browser> {
  const endpoints = inject('chromiumEndpoints')
  if (!endpoints?.length) return launchChromium()
  const worker = Math.max(1, Number(process.env.VITEST_POOL_ID) || 1)
  return chromium.connect(endpoints[(worker - 1) % endpoints.length]!)
}

/**
 * Makes `db` the demo database (what `riskdesk demo` writes): a copy of the one the e2e global setup built, or
 * `riskdesk demo` run now when there is none. `db` must not exist yet.
 */
export async function demoDatabase(db: string): Promise<void> {
  if (existsSync(db)) throw new Error(`demoDatabase: ${db} exists already`)
  const built = inject('demoDatabase')
  if (!built) return void (await riskdeskCli(db, 'demo'))
  copyFileSync(built, db)
  // The CLI closed it (its WAL checkpointed into the file); a WAL left beside it belongs to the copy too.
  if (existsSync(`${built}-wal`)) copyFileSync(`${built}-wal`, `${db}-wal`)
}

/**
 * The view on show: the app keeps every view it has shown mounted (hidden when another tab is selected), so
 * test ids that two views share (the stress grid, the market line…) are looked up in the shown tab panel.
 * `getByRole` skips hidden elements, so this is the one panel not hidden.
 */
export function shownView(page: Page): Locator {
  return page.getByRole('tabpanel')
}

/**
 * Makes the page's app open on a view (views.ts id) instead of the Overview, as it reopens on the view last shown
 * (renderer lastView.ts): the Overview's 3-D surface costs seconds of software WebGL to draw, for files that test
 * another view. Call before `page.goto`; a view the test shows later is kept across reloads as for a user.
 */
export async function opensOn(page: Page, viewId: string): Promise<void> {
  await page.addInitScript(
    ([key, id]) => {
      if (localStorage.getItem(key) === null) localStorage.setItem(key, id)
    },
    [VIEW_STORAGE_KEY, viewId] as const,
  )
}

/**
 * Opens the app at `url` on one view (opensOn), picks a portfolio by its picker label when given (e.g.
 * `demo (16 positions)`), and waits until the view's tab (`view.tab`, its title) can be clicked: the app is up.
 */
export async function openAppOn(page: Page, url: string, view: { id: string; tab: string }, portfolioLabel?: string): Promise<void> {
  await opensOn(page, view.id)
  await page.goto(url)
  if (portfolioLabel !== undefined) await page.getByTestId('portfolio-picker').selectOption({ label: portfolioLabel })
  await page.getByRole('tab', { name: view.tab }).click({ timeout: 90_000 })
}
