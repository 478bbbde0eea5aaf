/**
 * Venue margin rules for the account model (account.ts): each turns a revalued position (or the cross
 * positions together) into IM, MM and a reserved liquidation fee, by the venue's own formulas
 * (deribitStandard.ts, deribitPortfolio.ts, tiers.ts, bybit.ts, okx.ts), and `marginRuleFor` builds the rule
 * of a venue and mode from the dated tables in force on an as-of date.
 *
 * Conventions per rule (also listed in each rule's `approximations`, shown with every result):
 *  - Binance (USDⓈ-M / COIN-M): MM = notional at mark × MMR − cum, bracket by that notional [P];
 *    IM = notional at mark ÷ leverage (`MarginPosition.leverage`; without it the bracket's maximum leverage,
 *    i.e. the smallest IM, flagged; with neither, IM is NaN: unknown, and so is the available balance).
 *  - Bybit: MM and IM at the entry value (linear, and inverse v2024) as the published liquidation formulas
 *    use them; inverse v2026 evaluates MM at mark. Risk-limit tier chosen by the position value.
 *  - OKX: tier by size in contracts, its MMR on the whole position at mark [U whole-position]; the
 *    liquidation fee (taker rate × notional) is reserved in the threshold [P].
 *  - Deribit standard: futures rate grows with size; short options by the OTM formula; long options 0.
 *  - Deribit portfolio: the risk matrix of the cross positions (one currency), MM = mm_factor × RMM.
 */
import { isUsdLike, MarginInputError, type MarginAccount, type MarginRule, type Requirement, type ValuedPosition } from './account'
import { deribitFuturesMargin, deribitOptionMargin } from './deribitStandard'
import { deribitPortfolioMargin, type PmAddOns, type PmOptions, type PmPosition } from './deribitPortfolio'
import type { DeribitFuturesRates, DeribitOptionConstants, DeribitPmParams } from './params/deribit'
import type { BybitInverseFormulaVersion } from './params/venues'
import type { HyperliquidMarginTableValues } from './params/hyperliquid'
import { hyperliquidRule, hyperliquidTiers, type HyperliquidTier } from './hyperliquid'
import { dydxMarketParams, dydxRule, type DydxMarketParams } from './dydx'
import type { DydxMarketValues } from './params/dydx'
import type { OkxTierValues, TierTableValues } from './params/brackets'
import { MarginParamsError, selectTable, selectTableById, type DatedSelection, type MarginTables } from './params/index'
import { buildTierTable, expandOkxTiers, okxTierFor, tierFor, type OkxTier, type TierTable } from './tiers'

const ZERO: Requirement = { initialMargin: 0, maintenanceMargin: 0, liquidationFee: 0 }

/**
 * Deribit standard margin (deribitStandard.ts): futures by size-growing rates (coin; linear in USDC at the
 * index), options by the OTM formula (coin per contract for inverse; USDC for linear [U]).
 * The rule's `position` returns the requirement in the position's settlement currency and throws
 * MarginInputError for an underlying without rates.
 */
export function deribitStandardRule(p: { futures: Readonly<Record<string, DeribitFuturesRates>>; options: DeribitOptionConstants }): MarginRule {
  return {
    id: 'deribit-standard',
    label: 'Deribit standard margin',
    approximations: [
      'short option IM/MM by a third-party statement of the rule [S]',
      'inverse futures size in coin = USD face ÷ mark [assumption: which price converts it]',
      'linear options: rate terms × index [U at Deribit]',
    ],
    position(v: ValuedPosition): Requirement {
      const ins = v.position.instrument
      if (ins.kind === 'option') {
        const r = deribitOptionMargin({
          contracts: v.position.quantity,
          optionType: ins.optionType!,
          strike: ins.strike!,
          indexPrice: v.market.index,
          mark: v.mark,
          constants: p.options,
          settlement: ins.settlement,
        })
        return { initialMargin: r.initialMargin, maintenanceMargin: r.maintenanceMargin, liquidationFee: 0 }
      }
      const rates = p.futures[ins.underlying]
      if (!rates) throw new MarginInputError(`no Deribit futures rates for ${ins.underlying}`)
      const r = deribitFuturesMargin({ sizeCoin: v.sizeCoin, rates, settlement: ins.settlement, indexPrice: v.market.index })
      return { initialMargin: r.initialMargin, maintenanceMargin: r.maintenanceMargin, liquidationFee: 0 }
    },
  }
}

/**
 * Deribit portfolio margin (S:PM) of the account's cross positions in one currency (deribitPortfolio.ts).
 * The account's margin currency must be the PM currency (BTC S:PM: BTC) and every cross position on its
 * underlying; the requirement is in that currency and `detail` carries the full risk matrix (PmResult).
 * `portfolio` throws MarginInputError for mixed underlyings or a currency that cannot margin them.
 */
export function deribitPortfolioRule(p: { params: DeribitPmParams; addOns?: PmAddOns; options?: PmOptions }): MarginRule {
  return {
    id: 'deribit-portfolio',
    label: 'Deribit portfolio margin (S:PM)',
    approximations: ['see the result detail: parts labelled "approximation" are [U]/[S] in the research note'],
    portfolio(vs: ValuedPosition[], account: MarginAccount) {
      const currency = account.marginCurrency
      if (vs.length === 0) return { ...ZERO }
      const underlying = vs[0]!.position.instrument.underlying
      if (vs.some((v) => v.position.instrument.underlying !== underlying))
        throw new MarginInputError('Deribit S:PM margins one underlying per account; split the account')
      if (!isUsdLike(currency) && currency.toUpperCase() !== underlying.toUpperCase())
        throw new MarginInputError(`S:PM in ${currency} cannot margin ${underlying} positions`)
      const positions: PmPosition[] = vs.map((v) => {
        const ins = v.position.instrument
        const base = { name: v.position.id, settlement: ins.settlement, underlyingPrice: v.market.underlying, T: v.market.T }
        if (ins.kind === 'option')
          return {
            ...base,
            kind: 'option',
            sizeCoin: v.position.quantity,
            option: { type: ins.optionType!, strike: ins.strike!, sigma: v.market.sigma! },
          }
        return { ...base, kind: ins.kind === 'perpetual' ? 'perpetual' : 'future', sizeCoin: v.deltaCoin }
      })
      const input: Parameters<typeof deribitPortfolioMargin>[0] = { currency, index: vs[0]!.market.index, positions, params: p.params }
      if (p.addOns) input.addOns = p.addOns
      if (p.options) input.options = p.options
      const r = deribitPortfolioMargin(input)
      return { initialMargin: r.initialMargin, maintenanceMargin: r.maintenanceMargin, liquidationFee: 0, detail: r }
    },
  }
}

/**
 * Binance USDⓈ-M (linear: notional = |size| × mark in USDT) or COIN-M (inverse: notional = USD face ÷ mark
 * in coin): MM = notional × MMR − cum of the bracket at that notional (tiers.ts), IM = notional ÷ leverage.
 * Sources: Binance FAQ b3c689c1f50a44cabb3a84e663b81d93 and ceccfcfb4e3a45e3b48b0b1bb1a8ae46.
 * `position` throws MarginInputError for options or a position of the wrong settlement.
 */
export function binanceRule(p: { kind: 'usdm' | 'coinm'; brackets: (instrumentName: string) => TierTable }): MarginRule {
  return {
    id: `binance-${p.kind}`,
    label: p.kind === 'usdm' ? 'Binance USDⓈ-M futures' : 'Binance COIN-M futures',
    approximations: ['IM without a position leverage: the bracket maximum leverage (smallest IM)'],
    position(v: ValuedPosition): Requirement {
      const ins = v.position.instrument
      if (ins.kind === 'option') throw new MarginInputError('Binance futures rules do not margin options')
      if ((p.kind === 'usdm') !== (ins.settlement === 'linear'))
        throw new MarginInputError(`${v.position.id}: ${ins.settlement} position in a ${p.kind} account`)
      const table = p.brackets(ins.name)
      const notional = p.kind === 'usdm' ? v.notionalUsd : v.sizeCoin // USDT, or coin at mark
      const { tier } = tierFor(table, notional)
      const mm = notional * tier.mmr - tier.maintenanceAmount
      // IM needs the leverage; without it, the bracket's maximum leverage (smallest IM); without both, unknown.
      const lev = v.position.leverage ?? tier.maxLeverage
      return { initialMargin: lev === undefined ? NaN : notional / lev, maintenanceMargin: mm, liquidationFee: 0 }
    },
  }
}

/**
 * Bybit by risk-limit tiers (bybit.ts), with the formula version's MM convention: linear and inverse v2024
 * evaluate MM = PV × MMR − deduction at the entry value (USDT, or coin for inverse), v2026 inverse at the
 * mark; IM = PV(entry) ÷ leverage (NaN without a leverage). Tier looked up in the table's notional unit.
 * Inverse cross positions reserve Bybit's fee to close at the account's bankruptcy price, |Q| × taker ÷ BP
 * (coin), as the liquidation fee (`inverseCrossFee`, from bybitInverseCrossBankruptcy; Bybit help center
 * article 360039261334), so the account's liquidation price solves the published cross equation.
 * `position` throws MarginInputError for options.
 */
export function bybitRule(p: {
  riskLimits: (instrumentName: string) => TierTable
  inverseFormula: BybitInverseFormulaVersion
  inverseCrossFee?: { takerFeeRate: number; bankruptcyPrice: number | null }
}): MarginRule {
  const approximations = ['MM and IM at the entry value (linear; inverse v2024), as the published liquidation formulas use them']
  if (p.inverseCrossFee)
    approximations.push(
      `inverse cross: fee to close at the bankruptcy price reserved (taker ${p.inverseCrossFee.takerFeeRate}, bankruptcy price ${p.inverseCrossFee.bankruptcyPrice === null ? 'none' : p.inverseCrossFee.bankruptcyPrice.toFixed(2)} USD held fixed under shocks)`,
    )
  return {
    id: `bybit-${p.inverseFormula}`,
    label: `Bybit (inverse formula ${p.inverseFormula})`,
    approximations,
    position(v: ValuedPosition): Requirement {
      const ins = v.position.instrument
      if (ins.kind === 'option') throw new MarginInputError('the Bybit rule here margins futures and perpetuals only')
      const table = p.riskLimits(ins.name)
      const q = Math.abs(v.position.quantity)
      const EP = v.position.entryPrice
      // Position value at entry: USDT (linear) or coin (inverse); the tier unit decides how to look it up.
      const pvEntry = ins.settlement === 'linear' ? q * EP : q / EP
      const linear = ins.settlement === 'linear'
      const tierNotional = isUsdLike(table.notionalUnit) ? (linear ? q * EP : q) : linear ? q : q / EP
      const { tier } = tierFor(table, tierNotional)
      const im = v.position.leverage !== undefined && v.position.leverage > 0 ? pvEntry / v.position.leverage : NaN
      const fee = p.inverseCrossFee
      const liquidationFee =
        !linear && v.position.isolatedMargin === undefined && fee && fee.bankruptcyPrice !== null ? (q * fee.takerFeeRate) / fee.bankruptcyPrice : 0
      if (ins.settlement === 'inverse' && p.inverseFormula === 'v2026-mark-mm') {
        const pvMark = q / v.mark
        return { initialMargin: im, maintenanceMargin: pvMark * tier.mmr - tier.maintenanceAmount, liquidationFee }
      }
      return { initialMargin: im, maintenanceMargin: pvEntry * tier.mmr - tier.maintenanceAmount, liquidationFee }
    },
  }
}

/** One OKX instrument's tiers and contract size. */
export interface OkxInstrumentTiers {
  tiers: OkxTier[]
  /** Contract size, in `contractSizeUnit` (ETH-USDT-SWAP: 0.1 coin; BTC-USD-SWAP: 100 USD). */
  contractSize: number
  contractSizeUnit: 'coin' | 'usd'
}

/**
 * OKX (okx.ts): MM = notional at mark × MMR of the size tier (contracts), on the whole position [U]; the
 * liquidation fee = taker rate × notional is reserved in the threshold; IM = max(notional ÷ leverage,
 * notional × tier minimum IMR). Notional in the settlement currency (USDT, or coin for inverse).
 * `position` throws MarginInputError for options.
 */
export function okxRule(p: { tiers: (instrumentName: string) => OkxInstrumentTiers; takerFeeRate: number }): MarginRule {
  return {
    id: 'okx',
    label: 'OKX futures and swaps',
    approximations: ['tier MMR applied to the whole position [U]', 'liquidation fee = taker rate × notional at mark'],
    position(v: ValuedPosition): Requirement {
      const ins = v.position.instrument
      if (ins.kind === 'option') throw new MarginInputError('the OKX rule here margins futures and swaps only')
      const t = p.tiers(ins.name)
      const q = Math.abs(v.position.quantity) // coin (linear) or USD face (inverse)
      // usd-sized contracts count USD face (inverse); coin-sized ones count coin (inverse: face ÷ mark).
      const sizeInUnit = t.contractSizeUnit === 'usd' || ins.settlement === 'linear' ? q : v.sizeCoin
      const contracts = sizeInUnit / t.contractSize
      const { tier } = okxTierFor(t.tiers, contracts)
      const notional = ins.settlement === 'linear' ? v.notionalUsd : v.sizeCoin // settlement currency at mark
      const lev = v.position.leverage ?? tier.maxLeverage ?? 1 / tier.minImr
      return {
        initialMargin: Math.max(notional / lev, notional * tier.minImr),
        maintenanceMargin: notional * tier.mmr,
        liquidationFee: notional * p.takerFeeRate,
      }
    },
  }
}

/**
 * Which venue rule to build. `symbols` / `instruments` are the venue instrument names of the positions;
 * `tableSymbols` maps a name to the symbol its table is filed under when they differ (Binance COIN-M
 * `BTCUSD_PERP` → the pair's table `binance.coinm.brackets.BTCUSD`); absent = the name itself.
 */
export type VenueRuleSpec =
  | { venue: 'deribit'; mode: 'standard' }
  | { venue: 'deribit'; mode: 'portfolio'; currency: string; addOns?: PmAddOns; options?: PmOptions }
  | { venue: 'binance'; kind: 'usdm' | 'coinm'; symbols: readonly string[]; tableSymbols?: Readonly<Record<string, string>> }
  | {
      venue: 'bybit'
      symbols: readonly string[]
      settlement: 'linear' | 'inverse'
      inverseFormula?: BybitInverseFormulaVersion
      tableSymbols?: Readonly<Record<string, string>>
      /** Inverse cross accounts: the fee to close reserved at the bankruptcy price (see bybitRule). */
      inverseCrossFee?: { takerFeeRate: number; bankruptcyPrice: number | null }
    }
  | { venue: 'okx'; instruments: readonly string[]; takerFeeRate: number; tableSymbols?: Readonly<Record<string, string>> }
  | {
      venue: 'hyperliquid'
      coins: readonly string[]
      /** A coin without a table: one tier at the venue file's `maxLeverage` (no deductions), when the file gave it. */
      fileMaxLeverage?: Readonly<Record<string, number>>
    }
  | { venue: 'dydx'; markets: readonly string[] }

/** A rule with the table entries it was built from (show their `asOf`, `sources`, `beforeFirstEntry`). */
export interface ResolvedRule {
  rule: MarginRule
  tables: DatedSelection<unknown>[]
}

/**
 * The margin rule of a venue and mode with the tables in force on `asOf` (YYYY-MM-DD).
 * Table ids: Deribit `deribit.futures`, `deribit.options`, `deribit.pm.<CUR>`; Binance
 * `binance.<usdm|coinm>.brackets.<SYMBOL>`; Bybit `bybit.<linear|inverse>.riskLimits.<SYMBOL>` and
 * `bybit.inverse.formula`; OKX `okx.swap.tiers.<INSTRUMENT>`; Hyperliquid `hyperliquid.marginTables.<COIN>`; dYdX `dydx.market.<TICKER>`. A missing symbol is an error naming the table to
 * add (docs/margin.md, "Overriding tables").
 * @throws MarginParamsError for a missing table or a malformed date.
 */
export function marginRuleFor(spec: VenueRuleSpec, tables: MarginTables, asOf: string): ResolvedRule {
  const used: DatedSelection<unknown>[] = []
  const take = <T>(s: DatedSelection<T>): T => {
    used.push(s as DatedSelection<unknown>)
    return s.values
  }
  switch (spec.venue) {
    case 'deribit': {
      if (spec.mode === 'standard') {
        const futures = take(selectTable(tables, 'deribit.futures', asOf))
        const options = take(selectTable(tables, 'deribit.options', asOf))
        return { rule: deribitStandardRule({ futures, options }), tables: used }
      }
      const params = take(selectTableById<DeribitPmParams>(tables, `deribit.pm.${spec.currency}`, asOf))
      const arg: Parameters<typeof deribitPortfolioRule>[0] = { params }
      if (spec.addOns) arg.addOns = spec.addOns
      if (spec.options) arg.options = spec.options
      return { rule: deribitPortfolioRule(arg), tables: used }
    }
    case 'binance': {
      const map = new Map<string, TierTable>()
      for (const s of spec.symbols)
        map.set(s, buildTierTable(take(selectTableById<TierTableValues>(tables, `binance.${spec.kind}.brackets.${spec.tableSymbols?.[s] ?? s}`, asOf))))
      return { rule: binanceRule({ kind: spec.kind, brackets: lookup(map, 'Binance brackets') }), tables: used }
    }
    case 'bybit': {
      const map = new Map<string, TierTable>()
      for (const s of spec.symbols)
        map.set(s, buildTierTable(take(selectTableById<TierTableValues>(tables, `bybit.${spec.settlement}.riskLimits.${spec.tableSymbols?.[s] ?? s}`, asOf))))
      const inverseFormula = spec.inverseFormula ?? take(selectTable(tables, 'bybit.inverse.formula', asOf)).version
      const arg: Parameters<typeof bybitRule>[0] = { riskLimits: lookup(map, 'Bybit risk limits'), inverseFormula }
      if (spec.inverseCrossFee) arg.inverseCrossFee = spec.inverseCrossFee
      return { rule: bybitRule(arg), tables: used }
    }
    case 'okx': {
      const map = new Map<string, OkxInstrumentTiers>()
      for (const s of spec.instruments) {
        const v = take(selectTableById<OkxTierValues>(tables, `okx.swap.tiers.${spec.tableSymbols?.[s] ?? s}`, asOf))
        map.set(s, { tiers: expandOkxTiers(v), contractSize: Number(v.contractValueCoin), contractSizeUnit: v.contractValueUnit ?? 'coin' })
      }
      return { rule: okxRule({ tiers: lookup(map, 'OKX tiers'), takerFeeRate: spec.takerFeeRate }), tables: used }
    }
    case 'hyperliquid': {
      const map = new Map<string, HyperliquidTier[]>()
      for (const c of spec.coins) {
        const fileMax = spec.fileMaxLeverage?.[c]
        const values: HyperliquidMarginTableValues =
          tables[`hyperliquid.marginTables.${c}`] === undefined && fileMax !== undefined
            ? { tiers: [{ lowerBound: '0', maxLeverage: fileMax }] }
            : take(selectTableById<HyperliquidMarginTableValues>(tables, `hyperliquid.marginTables.${c}`, asOf))
        map.set(c, hyperliquidTiers(values))
      }
      return { rule: hyperliquidRule({ tiers: lookup(map, 'Hyperliquid margin table') }), tables: used }
    }
    case 'dydx': {
      const map = new Map<string, DydxMarketParams>()
      for (const m of spec.markets) {
        if (tables[`dydx.market.${m}`] === undefined)
          throw new MarginParamsError(`no dYdX margin parameters for ${m} (table dydx.market.${m}): import a /v4/perpetualMarkets response (riskdesk import FILE --snapshot-time WHEN) or add the table to the venue-rules file (docs/margin.md)`)
        map.set(m, dydxMarketParams(m, take(selectTableById<DydxMarketValues>(tables, `dydx.market.${m}`, asOf))))
      }
      return { rule: dydxRule({ markets: lookup(map, 'dYdX market parameters') }), tables: used }
    }
  }
}

function lookup<T>(map: Map<string, T>, what: string): (name: string) => T {
  return (name) => {
    const t = map.get(name)
    if (t === undefined) throw new MarginInputError(`no ${what} for ${name}`)
    return t
  }
}
