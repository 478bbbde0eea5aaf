/**
 * The riskdesk CLI as a child process, for tests that check exit codes and both output streams.
 *
 * BIN is the published entry, bin/riskdesk.mjs: it runs the build in out/cli while every source it was made
 * from is unchanged, and the TypeScript sources (tsx) otherwise, with a one-line notice on stderr; so a test
 * never runs a build older than the sources it is testing (test/integration/builtCli.test.ts checks both).
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { REPO } from './paths'

export const BIN = join(REPO, 'bin', 'riskdesk.mjs')
const exec = promisify(execFile)

/** Runs `riskdesk --db DB ARGS…` to completion; a non-zero exit is returned, not thrown. */
export async function runRiskdesk(db: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, '--db', db, ...args], { cwd: REPO, maxBuffer: 64 << 20 })
    return { code: 0, stdout, stderr }
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string }
    return { code: err.code, stdout: err.stdout, stderr: err.stderr }
  }
}
