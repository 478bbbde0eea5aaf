/**
 * The newcomer path (issue 17 item 8): `riskdesk demo --db FILE` ends with the exact command that serves the
 * app on that database. Expected text written by hand: the absolute path of the file given, single-quoted
 * for a POSIX shell because it holds a space.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runRiskdesk } from '../support/cli'
import { tempDir } from '../support/paths'

describe('riskdesk demo', () => {
  it('ends with the riskdesk serve --db command for its database', async () => {
    const db = join(tempDir(), 'my book.db')
    const r = await runRiskdesk(db, 'demo')
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines.at(-2)).toBe(`  riskdesk serve --db '${db}'`)
    expect(lines.at(-1)).toBe(`(in a checkout without riskdesk on the PATH: npm run riskdesk -- serve --db '${db}')`)
  })
})
