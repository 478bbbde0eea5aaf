/**
 * End-to-end support: `riskdesk serve` as a child process on a given database, and Debian's Chromium through
 * playwright-core (never a downloaded browser).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'
import { BIN } from './cli'
import { REPO } from './paths'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

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

/** Headless Debian Chromium with WebGL through SwiftShader (Chrome ≥ 144 no longer falls back on its own). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
  })
}

/**
 * The view on show: the app keeps every view it has shown mounted (hidden when another tab is selected), so
 * test ids that two views share (the stress grid, the market line…) are looked up in the shown tab panel.
 * `getByRole` skips hidden elements, so this is the one panel not hidden.
 */
export function shownView(page: Page): Locator {
  return page.getByRole('tabpanel')
}
