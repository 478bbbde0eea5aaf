/**
 * Global setup of the e2e project (vitest.config.ts), run once per `vitest run` before any e2e file:
 *  - one Debian Chromium per vitest worker, as a Playwright browser server: a file connects to its worker's
 *    (test/support/browser.ts `e2eBrowser`) instead of launching its own, and works in its own browser context
 *    (own storage, cookies, permissions), so files stay independent;
 *  - the demo database (`riskdesk demo`, the published CLI as the tests ran it before) built once: each file
 *    copies it (`demoDatabase`) instead of importing the demo files again.
 * Both are handed to the files with vitest's provide/inject; the teardown closes the browsers.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { chromium, type BrowserServer } from 'playwright-core'
import type { TestProject } from 'vitest/node'
import { CHROMIUM_ARGS, CHROMIUM } from './chromium'
import { BIN } from './cli'
import { REPO, tempDir } from './paths'

declare module 'vitest' {
  export interface ProvidedContext {
    /** One Playwright browser-server endpoint per vitest worker (index VITEST_POOL_ID − 1). */
    chromiumEndpoints: string[]
    /** The demo database `riskdesk demo` made for this run: copy it, never open it. */
    demoDatabase: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workers = Math.max(1, Number(project.globalConfig.maxWorkers) || 1)
  const demo = join(tempDir('riskdesk-e2e-demo-'), 'riskdesk.db')
  const servers: BrowserServer[] = []
  try {
    const [, ...launched] = await Promise.all([
      promisify(execFile)(process.execPath, [BIN, '--db', demo, 'demo'], { cwd: REPO, maxBuffer: 64 << 20 }),
      ...Array.from({ length: workers }, () => chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }).then((s) => (servers.push(s), s))),
    ])
    project.provide('chromiumEndpoints', launched.map((s) => s.wsEndpoint()))
    project.provide('demoDatabase', demo)
  } catch (e) {
    await Promise.all(servers.map((s) => s.close()))
    throw e
  }
  return async () => {
    await Promise.all(servers.map((s) => s.close()))
  }
}
