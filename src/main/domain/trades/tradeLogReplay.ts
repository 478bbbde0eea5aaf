/**
 * The accounting of one trade log as it streams: every fill's cash flow, fee and the venue's own realized
 * P&L summed exactly as the rows come (those sums do not depend on the order of the rows), each fill taped
 * (fillTape.ts, bounded memory) and, after the last row, the positions moved in time order — forward for a
 * file listed oldest first, backward for one listed newest first, sorted otherwise (ties keep the file's
 * own order) — into open positions, realized P&L and the totals per account, instrument and currency; cash
 * rows (funding, settlement, fees, transfers…) summed per currency; the balance column of a log kept as of
 * its last row in time. Pure: it knows neither files nor SQLite (the import service stores what it gives).
 *
 * Conventions: positionReplay.ts (average cost, linear and inverse, deliveries) and accountTotals.ts (signs).
 */
import type { Instrument } from '../../../shared/instrument'
import { CurrencySums, LatestBalances, type CashKind } from './accountTotals'
import { D } from './decimal'
import { exact, type ExactSum } from './exact'
import { FillTape, type TapeSpill } from './fillTape'
import { addCashFlow, addSettledFlow, movePosition, newReplayState, replayResult, type ReplayResult, type ReplayState } from './positionReplay'

/** A fill as the replay takes it: decimals as validated plain text, in the instrument's units. */
export interface LogFill {
  venue: string
  account: string
  instrument: Instrument
  /** ms since epoch UTC. */
  ts: number
  /** The venue's own ordering within one instant, or null. */
  seq: number | null
  /** Signed (buy > 0), instrument quantity unit. */
  quantity: string
  /** Instrument price unit; > 0. */
  price: string
  /** Inverse contracts only: the venue's settled coin value of the fill, signed like `quantity` (ImportedFill.settledValue). */
  settledValue?: string
  /** Paid (> 0) in `feeCurrency`. */
  fee: string | null
  feeCurrency: string | null
  venueRealizedPnl: string | null
  venueRealizedCurrency: string | null
  /** The venue's position after the fill, checked by the replay. */
  positionAfter: string | null
  positionAfterUnsigned: boolean
  line: number
}

/** A cash movement of a log (not a fill): amount from the account's side (for `fee`: > 0 paid). */
export interface LogCash {
  venue: string
  account: string
  instrument: Instrument | null
  ts: number
  kind: CashKind
  amount: D
  currency: string
}

/** An open position the replay gives (quantity, average entry and realized P&L as decimal text). */
export interface ReplayedPosition {
  venue: string
  account: string
  instrument: Instrument
  quantity: string
  entryPrice: string
  entryTime: number | null
  realizedPnl: string
  pnlCurrency: string
  /** Fills of this file that moved it. */
  fills: number
}

/** One total of the log: per account, instrument (null: the account's own cash) and currency. */
export interface LogTotal {
  venue: string
  account: string
  instrument: Instrument | null
  /** realized_pnl, fees, funding, settlement, venue_realized_pnl, net_quantity (spot), transfer, … */
  measure: string
  currency: string
  amount: string
}

/** What the log speaks for: an account's positions in its settlement currencies (a log ending flat empties just those). */
export interface LogCoverage {
  venue: string
  account: string
  /** Open positions after the log. */
  positions: number
  /** Settlement currencies the log traded derivatives in. */
  scopes: string[]
}

/** The replay's result after the last row (replayed()). */
export interface LogReplayResult {
  /** Open derivative positions, account by account in the order the log named them. */
  positions: ReplayedPosition[]
  /** Every instrument's replay (spot too), in the same order. */
  results: ReplayResult[]
  totals: LogTotal[]
  coverage: LogCoverage[]
  /** The balance column of the log: per account and currency, that of the row last in time. */
  balances: Array<{ venue: string; account: string; currency: string; amount: string; ts: number; line: number }>
  notes: string[]
}

interface AccountReplay {
  venue: string
  account: string
  /** Replay state per instrument key, in the order first seen. */
  states: Map<string, ReplayState>
  /** Replay slot (index into slots) per instrument key. */
  slots: Map<string, number>
  sums: CurrencySums
  latest: LatestBalances | null
}

/** One account × instrument: its state, running fee and venue-P&L sums per currency. */
interface ReplaySlot {
  state: ReplayState
  /** The venue's running position is a size (compared in absolute value). */
  unsigned: boolean
  fees: Map<string, ExactSum>
  venueRealizedPnl: Map<string, ExactSum>
  sums: CurrencySums
  key: string
}

const instrumentKey = (i: Instrument) => `${i.venue}\u0000${i.name}`
const MEASURES = ['fees', 'funding', 'settlement', 'venue_realized_pnl'] as const

export class TradeLogReplay {
  private readonly accounts = new Map<string, AccountReplay>()
  private readonly instruments = new Map<string, Instrument>()
  private readonly keys = new Map<Instrument, string>()
  private readonly slots: ReplaySlot[] = []
  private readonly tape: FillTape
  /** The account of the previous row (logs are mostly one account). */
  private lastAccount: AccountReplay | null = null
  /** File order of row times (fills and cash): 1 oldest first so far, -1 newest first, 0 mixed, null before a step. */
  private direction: 1 | -1 | 0 | null = null
  private last: { ts: number; seq: number | null } | null = null
  /** The same for fills only: decides how the tape is played back. */
  private fillOrder: 1 | -1 | 0 | null = null
  private lastFill: { ts: number; seq: number | null } | null = null
  /** Latest instant of a row, ms. */
  asOf: number | null = null

  /** @param spill where the tape spills beyond memory (fillTape.ts) */
  constructor(spill?: () => TapeSpill) {
    this.tape = new FillTape(spill)
  }

  /** Fills taped so far. */
  get fills(): number {
    return this.tape.size
  }

  /** The file lists its rows newest first (decided by the rows seen so far). */
  get newestFirst(): boolean {
    return this.direction === -1
  }

  private account(venue: string, name: string): AccountReplay {
    const l = this.lastAccount
    if (l !== null && l.venue === venue && l.account === name) return l
    const k = `${venue}\u0000${name}`
    let a = this.accounts.get(k)
    if (!a) this.accounts.set(k, (a = { venue, account: name, states: new Map(), slots: new Map(), sums: new CurrencySums(), latest: null }))
    return (this.lastAccount = a)
  }

  private key(i: Instrument): string {
    let k = this.keys.get(i)
    if (k === undefined) {
      this.keys.set(i, (k = instrumentKey(i)))
      if (!this.instruments.has(k)) this.instruments.set(k, i)
    }
    return k
  }

  /** Tracks whether the rows run oldest first, and the latest instant. */
  private observe(ts: number, seq: number | null): void {
    if (this.asOf === null || ts > this.asOf) this.asOf = ts
    if (this.last) {
      const cmp = ts - this.last.ts || (seq ?? 0) - (this.last.seq ?? 0)
      const step = cmp > 0 ? 1 : cmp < 0 ? -1 : 0
      if (step !== 0) {
        if (this.direction === null) this.direction = step as 1 | -1
        else if (this.direction !== step) this.direction = 0
      }
    }
    this.last = { ts, seq }
  }

  /** The replay slot of an account's instrument, created on first sight. */
  private slot(a: AccountReplay, instrument: Instrument): number {
    const key = this.key(instrument)
    let n = a.slots.get(key)
    if (n === undefined) {
      const state = newReplayState(this.instruments.get(key)!)
      a.states.set(key, state)
      a.slots.set(key, (n = this.slots.length))
      this.slots.push({ state, unsigned: false, fees: new Map(), venueRealizedPnl: new Map(), sums: a.sums, key })
    }
    return n
  }

  /** Takes one fill (file order): sums its cash flow, fee and venue P&L now, tapes it for the replay. */
  fill(f: LogFill): void {
    this.observe(f.ts, f.seq)
    const a = this.account(f.venue, f.account)
    const n = this.slot(a, f.instrument)
    const slot = this.slots[n]!
    if (f.positionAfterUnsigned) slot.unsigned = true
    const q = exact(f.quantity)
    let priceNumber = Number(f.price)
    if (f.settledValue === undefined) addCashFlow(slot.state, q, exact(f.price))
    else {
      // The venue's rounded value replaces q/p in the flow and, as the effective price |q| / |value|, in the basis.
      addSettledFlow(slot.state, exact(f.settledValue))
      priceNumber = Math.abs(Number(f.quantity) / Number(f.settledValue))
    }
    if (f.fee !== null && f.feeCurrency !== null) addTo(slot, slot.fees, 'fees', f.feeCurrency, f.fee)
    if (f.venueRealizedPnl !== null && f.venueRealizedCurrency !== null) addTo(slot, slot.venueRealizedPnl, 'venue_realized_pnl', f.venueRealizedCurrency, f.venueRealizedPnl)
    this.tape.add(n, f.ts, f.seq, f.line, q, Number(f.quantity), priceNumber, f.positionAfter === null ? null : exact(f.positionAfter))
    if (this.lastFill) {
      const cmp = f.ts - this.lastFill.ts || (f.seq ?? 0) - (this.lastFill.seq ?? 0)
      const step = cmp > 0 ? 1 : cmp < 0 ? -1 : 0
      if (step !== 0) this.fillOrder = this.fillOrder === null ? (step as 1 | -1) : this.fillOrder === step ? this.fillOrder : 0
    }
    this.lastFill = { ts: f.ts, seq: f.seq }
  }

  /** Takes one cash row: summed per account, instrument (or the account) and currency. */
  cash(c: LogCash): void {
    this.observe(c.ts, null)
    const a = this.account(c.venue, c.account)
    a.sums.add(`${c.instrument === null ? '' : this.key(c.instrument)}:${c.kind === 'fee' ? 'fees' : c.kind}`, c.currency, c.amount)
  }

  /** Takes the balance column of a log row (kept as of the row last in time). */
  balance(b: { venue: string; account: string; currency: string; amount: string; ts: number; line: number }): void {
    const a = this.account(b.venue, b.account)
    ;(a.latest ??= new LatestBalances()).observe({ currency: b.currency, amount: new D(b.amount), ts: b.ts, line: b.line })
  }

  /**
   * Moves the positions with the taped fills in time order — by ts, then the venue's sequence, then the
   * file's own order (reversed for a newest-first file). Stops at, and returns, the first fill after which the
   * venue's own position disagrees.
   */
  play(): { line: number; message: string } | null {
    if (this.tape.size === 0) return null
    const direction: 1 | -1 = this.fillOrder === -1 || (this.fillOrder === null && this.direction === -1) ? -1 : 1
    const order = this.fillOrder === 0 ? 'sorted' : direction === 1 ? 'file' : 'reversed'
    let problem: { line: number; message: string } | null = null
    this.tape.play(order, direction, ({ slot: n, line, move }) => {
      const slot = this.slots[n]!
      move.positionAfterUnsigned = slot.unsigned
      const message = movePosition(slot.state, move)
      if (message) problem = { line, message }
      return message === null
    })
    return problem
  }

  /**
   * After play(): the open positions, the totals (per instrument of each account in the order first seen,
   * then the cash of instruments without fills and of the accounts), what the log speaks for, its balances
   * and notes (a replayed realized P&L that differs from the venue's own column).
   */
  replayed(): LogReplayResult {
    const out: LogReplayResult = { positions: [], results: [], totals: [], coverage: [], balances: [], notes: [] }
    const total = (a: AccountReplay, instrument: Instrument | null, measure: string, currency: string, amount: string) =>
      out.totals.push({ venue: a.venue, account: a.account, instrument, measure, currency, amount })
    for (const a of this.accounts.values()) {
      if (a.states.size === 0) continue
      let open = 0
      let derivatives = 0
      for (const [key, s] of a.states) {
        const r = replayResult(s)
        out.results.push(r)
        if (s.instrument.kind === 'spot') {
          // A spot holding is a balance: keep the net amount bought and the fees, no position.
          total(a, s.instrument, 'net_quantity', s.instrument.underlying, r.quantity)
          for (const [ccy, amount] of Object.entries(a.sums.of(`${key}:fees`))) total(a, s.instrument, 'fees', ccy, amount)
          continue
        }
        derivatives++
        total(a, s.instrument, 'realized_pnl', r.pnlCurrency, r.realizedPnl)
        for (const measure of MEASURES) for (const [ccy, amount] of Object.entries(a.sums.of(`${key}:${measure}`))) total(a, s.instrument, measure, ccy, amount)
        const venueRealized = a.sums.of(`${key}:venue_realized_pnl`)[r.pnlCurrency]
        if (venueRealized !== undefined && !new D(venueRealized).minus(r.realizedPnl).abs().lte('0.00000001'))
          out.notes.push(
            `${s.instrument.name}: realized P&L of the replay ${r.realizedPnl} ${r.pnlCurrency} differs from the venue's own column ${venueRealized} (hedge mode, or fills before this file?)`,
          )
        if (r.quantity === '0') continue
        open++
        out.positions.push({
          venue: a.venue, account: a.account, instrument: s.instrument, quantity: r.quantity, entryPrice: r.averageEntry!, entryTime: r.openedAt,
          realizedPnl: r.realizedPnl, pnlCurrency: r.pnlCurrency, fills: s.fills,
        })
      }
      // A log speaks for the settlement currencies it traded in: a log ending flat empties just those.
      if (derivatives > 0)
        out.coverage.push({ venue: a.venue, account: a.account, positions: open, scopes: [...new Set([...a.states.values()].map((st) => st.instrument.settlementCurrency))] })
    }
    // Cash of instruments without fills in this file (funding of a position opened before it) and of the account.
    for (const a of this.accounts.values())
      for (const key of a.sums.keys()) {
        const cut = key.lastIndexOf(':')
        const inst = key.slice(0, cut)
        if (inst !== '' && a.states.has(inst)) continue
        for (const [ccy, amount] of Object.entries(a.sums.of(key))) total(a, inst === '' ? null : this.instruments.get(inst)!, key.slice(cut + 1), ccy, amount)
      }
    for (const a of this.accounts.values())
      for (const b of a.latest?.all(this.direction === -1) ?? []) out.balances.push({ venue: a.venue, account: a.account, ...b })
    return out
  }

  /** Frees the tape's spill (call once done, whatever the outcome). */
  close(): void {
    this.tape.close()
  }
}

/** Adds a non-zero amount to a slot's running sum of `measure` in `currency` (the totals' `instrument:measure` key). */
function addTo(slot: ReplaySlot, byCurrency: Map<string, ExactSum>, measure: string, currency: string, amount: string): void {
  const x = exact(amount)
  if (x.units === 0n) return
  let sum = byCurrency.get(currency)
  if (!sum) byCurrency.set(currency, (sum = slot.sums.sum(`${slot.key}:${measure}`, currency)))
  sum.add(x)
}
