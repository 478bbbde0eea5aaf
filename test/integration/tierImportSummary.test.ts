/**
 * The CLI's one-line summary of a tier-response import says how many tier tables the file gave (it used to
 * print "1 rows, " with nothing after). Fixtures: test/fixtures/tiers/README.md.
 */
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runRiskdesk } from '../support/cli'
import { FIXTURES, tempDir } from '../support/paths'

const T = (name: string) => join(FIXTURES, 'tiers', name)
let dir: string

beforeAll(() => {
  dir = tempDir()
})

describe('riskdesk import of tier responses (text summary)', () => {
  it('counts the tier tables stored: Bybit inverse example 1 table of 1 row; Binance BTCUSDT + ADAUSDT 2 tables', async () => {
    const db = join(dir, 'summary.db')
    // bybit_risk_limit_inverse_docs_example_variant.json: result.list holds one row (BTCUSD tier 1) → 1 table.
    const bybit = await runRiskdesk(db, 'import', T('bybit_risk_limit_inverse_docs_example_variant.json'))
    expect(bybit.code, bybit.stderr).toBe(0)
    expect(bybit.stdout).toMatch(/imported as bybit-risk-limit — 1 row \(tiers\), 1 tier table$/m)
    expect(bybit.stdout).not.toMatch(/rows?, ,|rows?, $/m)
    // binance_usdm_leverageBracket_from_freqtrade_info_variant.json: BTCUSDT (12 brackets) and ADAUSDT, one
    // object each → 2 tables; rows counts the top-level objects the reader walked.
    const binance = await runRiskdesk(db, 'import', T('binance_usdm_leverageBracket_from_freqtrade_info_variant.json'))
    expect(binance.code, binance.stderr).toBe(0)
    expect(binance.stdout).toMatch(/imported as binance-usdm-leverage-bracket — \d+ rows? \(tiers\), 2 tier tables/)
  }, 120_000)
})
