/**
 * Order-independent totals of a log: fees, funding, settlement cash flows and other cash movements per
 * currency, the venue's own realized P&L, and the last balance per currency (the balance column of the row
 * that is last in time). Kept apart from the fill replay because these sums do not depend on row order, so a
 * newest-first log can be summed while it streams.
 *
 * Signs, always from the account's side: fees > 0 are paid (< 0 rebates); funding, settlement and transfers
 * > 0 are received.
 */
import { text, type D } from './decimal'
import { ExactSum, exactText, toExact, type Exact } from './exact'

export type CashKind = 'fee' | 'funding' | 'settlement' | 'realized_pnl' | 'transfer' | 'deposit' | 'withdrawal' | 'other'

/** Per (instrument or '') and currency, a running sum (exact). */
export class CurrencySums {
  private readonly sums = new Map<string, Map<string, ExactSum>>()
  add(key: string, currency: string, amount: D | Exact): void {
    this.sum(key, currency).add(toExact(amount))
  }
  /** The running sum of one key and currency, to add to directly (the hot path of a log's fills). */
  sum(key: string, currency: string): ExactSum {
    let byCcy = this.sums.get(key)
    if (!byCcy) this.sums.set(key, (byCcy = new Map()))
    let s = byCcy.get(currency)
    if (!s) byCcy.set(currency, (s = new ExactSum()))
    return s
  }
  /** `{currency: amount}` for one key, empty when none. */
  of(key: string): Record<string, string> {
    return Object.fromEntries([...(this.sums.get(key) ?? new Map<string, ExactSum>())].map(([c, v]) => [c, exactText(v.value)]))
  }
  keys(): string[] {
    return [...this.sums.keys()]
  }
}

export interface BalanceObservation {
  currency: string
  amount: D
  ts: number
  /** 1-based line in the file: among rows of the same instant, the file's order decides. */
  line: number
}

/**
 * Keeps, per currency, the balance of the row that is last in time. Rows of the same instant are ordered
 * as the file lists them: the caller says at the end whether the file runs oldest first (the last such row
 * wins) or newest first (the first such row wins).
 */
export class LatestBalances {
  private readonly latest = new Map<string, { ts: number; first: BalanceObservation; last: BalanceObservation }>()
  observe(b: BalanceObservation): void {
    const prev = this.latest.get(b.currency)
    if (!prev || b.ts > prev.ts) this.latest.set(b.currency, { ts: b.ts, first: b, last: b })
    else if (b.ts === prev.ts) {
      if (b.line < prev.first.line) prev.first = b
      if (b.line > prev.last.line) prev.last = b
    }
  }
  /** @param newestFirst the file lists its rows newest first */
  all(newestFirst: boolean): Array<{ currency: string; amount: string; ts: number; line: number }> {
    return [...this.latest.values()].map((v) => {
      const b = newestFirst ? v.first : v.last
      return { currency: b.currency, amount: text(b.amount), ts: b.ts, line: b.line }
    })
  }
}
