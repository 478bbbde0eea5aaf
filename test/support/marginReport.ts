import type { MarginAccountReport, MarginReport } from '../../src/shared/marginApi'

/** The account `venue/account/CURRENCY` of a margin report; throws naming the accounts there when absent. */
export function accountOf(r: MarginReport, key: string): MarginAccountReport {
  const a = r.accounts.find((x) => x.key === key)
  if (!a) throw new Error(`no account ${key} in ${r.accounts.map((x) => x.key).join(', ')}`)
  return a
}
