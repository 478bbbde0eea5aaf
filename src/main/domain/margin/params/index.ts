/**
 * The registry of every dated margin table, the user-override document, and as-of selection.
 *
 * How a user overrides a table (docs/margin.md, "Overriding tables"):
 *  1. `riskdesk margin --dump-venue-rules > rules.json` (service: `builtInMarginParamsDocument()`), or write
 *     the file by hand: `{ "format": "riskdesk-margin-params/1", "tables": { "<table id>": [ <entry>… ] } }`
 *     where each entry is `{ asOf, dateBasis, sources, note?, values }` in the shape of the built-in table;
 *  2. edit or add entries (e.g. today's Binance brackets with `"asOf": "2026-11-21"`);
 *  3. `riskdesk margin --venue-rules rules.json --as-of 2026-11-21`: the service (marginBook.ts) reads the file,
 *     `parseMarginParamsOverride` validates it (zod; unknown table ids and malformed values are errors), and
 *     `marginTables(override)` merges it over the built-in tables (same `asOf` replaces, other dates add).
 * The as-of date then selects, in every table, the latest entry with `asOf` ≤ that date (`selectTable`).
 */
import { z } from 'zod'
import {
  MarginParamsError,
  checkIsoDate,
  selectAsOf,
  withUserEntries,
  type DatedEntry,
  type DatedSelection,
  type DatedTable,
} from './datedTable'
import { DERIBIT_FUTURES_RATES, DERIBIT_OPTION_CONSTANTS, DERIBIT_PM_PARAMS } from './deribit'
import {
  BINANCE_COINM_BTCUSD,
  BINANCE_USDM_BTCUSDT,
  BYBIT_LINEAR_BTCUSDT,
  OKX_ETHUSDT_SWAP_TIERS,
} from './brackets'
import { BYBIT_INVERSE_FORMULA, OKX_PM_BTC_ETH, SPAN_STANDARD_SCENARIOS } from './venues'
import { CASCADE_MARKET_BTC } from './cascade'
import { HYPERLIQUID_MARGIN_TABLES } from './hyperliquid'
import { DYDX_MARKET_TABLES } from './dydx'
import { BUILT_IN_TIER_DATA } from './tierData'

export * from './datedTable'
export * from './deribit'
export * from './brackets'
export * from './venues'
export * from './cascade'
export * from './hyperliquid'
export * from './dydx'
export * from './tierData'

const decimalString = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string such as "0.005"')
const positive = z.number().finite().positive()
const nonNegative = z.number().finite().nonnegative()

const futuresRates = z.record(
  z.string(),
  z.object({ initialBase: nonNegative, maintenanceBase: nonNegative, increasePerCoin: nonNegative }).strict(),
)
const optionConstants = z.object({ otmBase: nonNegative, floor: nonNegative, maintenance: nonNegative }).strict()
const pmParams = z
  .object({
    priceRange: positive,
    bucketsPerSide: z.number().int().positive(),
    volRangeUp: nonNegative,
    volRangeDown: nonNegative,
    minVolForShockUp: nonNegative,
    shortTermVegaPower: nonNegative,
    longTermVegaPower: nonNegative,
    vegaPowerSwitchDays: positive,
    extendedTableFactor: nonNegative,
    extendedMoves: z.array(z.number().finite().gt(-1)),
    deltaTotalLiqShockThreshold: nonNegative,
    maxDeltaShock: nonNegative,
    mInc: nonNegative,
    annualisedMoveRisk: nonNegative,
    minAnnualisedMove: nonNegative,
    extendedDampener: z.record(z.string(), nonNegative),
    pnlOffset: z.record(z.string(), z.number().min(0).max(1)),
    mmFactor: z.number().min(0).max(1),
  })
  .strict()
const tierTable = z
  .object({
    notionalUnit: z.string().min(1),
    rows: z
      .array(
        z
          .object({
            floor: decimalString,
            cap: decimalString.nullable(),
            mmr: decimalString,
            maxLeverage: positive.optional(),
            publishedMaintenanceAmount: decimalString.optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
const okxTiers = z
  .object({
    contractValueCoin: decimalString,
    contractValueUnit: z.enum(['coin', 'usd']).optional(),
    explicit: z
      .array(z.object({ maxContracts: decimalString, mmr: decimalString, minImr: decimalString, maxLeverage: positive }).strict())
      .min(1),
    stepContracts: decimalString,
    mmrStep: decimalString,
    imrStep: decimalString,
    generatedTiers: z.number().int().nonnegative(),
  })
  .strict()
const bybitFormula = z.object({ version: z.enum(['v2024-entry-mm', 'v2026-mark-mm']) }).strict()
const okxPm = z
  .object({
    spotShocks: z.array(positive),
    extremeMove: positive,
    basisAnnualisedMoveRisk: nonNegative,
    mr7Tiers: z.array(z.object({ cap: positive.nullable(), multiplier: positive }).strict()).min(1),
    imrFactor: positive,
  })
  .strict()
const spanScenarios = z
  .object({
    scenarios: z
      .array(
        z
          .object({
            number: z.number().int().positive(),
            priceMove: z.number().finite(),
            volMove: z.number().finite(),
            weight: nonNegative,
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
const hyperliquidMarginTable = z
  .object({ tiers: z.array(z.object({ lowerBound: decimalString, maxLeverage: z.number().int().min(1) }).strict()).min(1) })
  .strict()
const dydxMarket = z
  .object({
    initialMarginFraction: decimalString,
    maintenanceMarginFraction: decimalString,
    openInterestLowerCap: decimalString,
    openInterestUpperCap: decimalString,
    openInterest: decimalString.nullable(),
  })
  .strict()
const cascadeMarket = z
  .object({
    underlying: z.string().min(1),
    openInterestCoin: nonNegative,
    excludedShare: z.number().min(0).max(1),
    leveragedLongShare: z.number().min(0).max(1),
    leveragedShortShare: z.number().min(0).max(1),
    buckets: z.array(z.object({ leverage: positive, share: nonNegative }).strict()),
    maintenanceMarginRate: nonNegative,
    impact: z.object({ Y: nonNegative, dailyVol: nonNegative, dailyVolumeCoin: positive }).strict(),
  })
  .strict()

/** Every built-in table by id, with the schema its entries' `values` must satisfy. */
const REGISTRY = {
  'deribit.futures': { table: DERIBIT_FUTURES_RATES, schema: futuresRates },
  'deribit.options': { table: DERIBIT_OPTION_CONSTANTS, schema: optionConstants },
  'deribit.pm.BTC': { table: DERIBIT_PM_PARAMS.BTC!, schema: pmParams },
  'deribit.pm.ETH': { table: DERIBIT_PM_PARAMS.ETH!, schema: pmParams },
  'binance.usdm.brackets.BTCUSDT': { table: BINANCE_USDM_BTCUSDT, schema: tierTable },
  'binance.coinm.brackets.BTCUSD': { table: BINANCE_COINM_BTCUSD, schema: tierTable },
  'bybit.linear.riskLimits.BTCUSDT': { table: BYBIT_LINEAR_BTCUSDT, schema: tierTable },
  'bybit.inverse.formula': { table: BYBIT_INVERSE_FORMULA, schema: bybitFormula },
  'okx.swap.tiers.ETH-USDT-SWAP': { table: OKX_ETHUSDT_SWAP_TIERS, schema: okxTiers },
  'okx.pm.BTC-ETH': { table: OKX_PM_BTC_ETH, schema: okxPm },
  'span.scenarios': { table: SPAN_STANDARD_SCENARIOS, schema: spanScenarios },
  'cascade.market.BTC': { table: CASCADE_MARKET_BTC, schema: cascadeMarket },
  'hyperliquid.marginTables.BTC': { table: HYPERLIQUID_MARGIN_TABLES.BTC!, schema: hyperliquidMarginTable },
  'hyperliquid.marginTables.ETH': { table: HYPERLIQUID_MARGIN_TABLES.ETH!, schema: hyperliquidMarginTable },
  'hyperliquid.marginTables.SOL': { table: HYPERLIQUID_MARGIN_TABLES.SOL!, schema: hyperliquidMarginTable },
  'hyperliquid.marginTables.XRP': { table: HYPERLIQUID_MARGIN_TABLES.XRP!, schema: hyperliquidMarginTable },
  'dydx.market.BTC-USD': { table: DYDX_MARKET_TABLES['BTC-USD']!, schema: dydxMarket },
  'dydx.market.ETH-USD': { table: DYDX_MARKET_TABLES['ETH-USD']!, schema: dydxMarket },
} as const

/**
 * Families of tables a user may add new members to (a symbol or currency the built-in set lacks), with the
 * schema of their values: e.g. `binance.usdm.brackets.ETHUSDT`.
 */
const FAMILIES: { prefix: string; schema: z.ZodType }[] = [
  { prefix: 'binance.usdm.brackets.', schema: tierTable },
  { prefix: 'binance.coinm.brackets.', schema: tierTable },
  { prefix: 'bybit.linear.riskLimits.', schema: tierTable },
  { prefix: 'bybit.inverse.riskLimits.', schema: tierTable },
  { prefix: 'okx.swap.tiers.', schema: okxTiers },
  { prefix: 'deribit.pm.', schema: pmParams },
  { prefix: 'cascade.market.', schema: cascadeMarket },
  { prefix: 'hyperliquid.marginTables.', schema: hyperliquidMarginTable },
  { prefix: 'dydx.market.', schema: dydxMarket },
]

function schemaFor(id: string): z.ZodType | undefined {
  const reg = (REGISTRY as Record<string, { schema: z.ZodType }>)[id]
  if (reg) return reg.schema
  const fam = FAMILIES.find((f) => id.startsWith(f.prefix) && id.length > f.prefix.length)
  return fam?.schema
}

export type MarginTableId = keyof typeof REGISTRY
/** The value type of a table. */
export type MarginTableValues<Id extends MarginTableId> =
  (typeof REGISTRY)[Id]['table'] extends DatedTable<infer T> ? T : never
/** The built-in tables by id, plus any family member a user added (e.g. `binance.usdm.brackets.ETHUSDT`). */
export type MarginTables = { [Id in MarginTableId]: DatedTable<MarginTableValues<Id>> } & {
  readonly [id: string]: DatedTable<unknown> | undefined
}

/** Ids of every built-in table. */
export const MARGIN_TABLE_IDS = Object.keys(REGISTRY) as MarginTableId[]

/** The format tag of the override document. */
export const MARGIN_PARAMS_FORMAT = 'riskdesk-margin-params/1'

/** A validated override document: user entries per table id. */
export interface MarginParamsOverride {
  tables: { [Id in MarginTableId]?: DatedEntry<MarginTableValues<Id>>[] } & { [id: string]: DatedEntry<unknown>[] | undefined }
}

const entrySchema = <T extends z.ZodType>(values: T) =>
  z
    .object({
      asOf: z.string(),
      dateBasis: z.enum(['effective', 'published', 'observed', 'recorded', 'imported', 'user']).default('user'),
      sources: z.array(z.string()).default([]),
      note: z.string().optional(),
      values,
    })
    .strict()

/**
 * Validates a user's override document (parsed JSON).
 * @returns the entries per table, dates checked
 * @throws MarginParamsError naming the table and the offending field: wrong format tag, unknown table id,
 *   malformed entry or values, bad date.
 */
export function parseMarginParamsOverride(json: unknown): MarginParamsOverride {
  const doc = z
    .object({ format: z.literal(MARGIN_PARAMS_FORMAT), tables: z.record(z.string(), z.array(z.unknown())) })
    .safeParse(json)
  if (!doc.success)
    throw new MarginParamsError(
      `margin parameter file: expected {"format": "${MARGIN_PARAMS_FORMAT}", "tables": {…}}: ${doc.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    )
  const tables: Record<string, unknown[]> = {}
  for (const [id, entries] of Object.entries(doc.data.tables)) {
    const schema = schemaFor(id)
    if (!schema)
      throw new MarginParamsError(
        `margin parameter file: unknown table "${id}" (known: ${MARGIN_TABLE_IDS.join(', ')}; new members of ${FAMILIES.map((f) => f.prefix + '*').join(', ')})`,
      )
    tables[id] = entries.map((e, i) => {
      const r = entrySchema(schema).safeParse(e)
      if (!r.success)
        throw new MarginParamsError(
          `margin parameter file: ${id}[${i}]: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`,
        )
      checkIsoDate(r.data.asOf, `${id}[${i}].asOf`)
      return r.data
    })
  }
  return { tables } as MarginParamsOverride
}

/**
 * The built-in tables (the registry and the tier data files, ./tierData.ts), with overrides merged in when
 * given: each override's entries replace a built-in entry of the same `asOf` and add the others; a later
 * override wins over an earlier one for the same table and `asOf` (mergeOverrides).
 * @throws MarginParamsError for duplicate dates within one override's table.
 */
export function marginTables(...overrides: Array<MarginParamsOverride | undefined>): MarginTables {
  const out: Record<string, DatedTable<unknown>> = {}
  for (const id of MARGIN_TABLE_IDS) out[id] = REGISTRY[id].table as DatedTable<unknown>
  for (const t of BUILT_IN_TIER_DATA) {
    const table = out[t.tableId] ?? { id: t.tableId, description: `${t.tableId} (tier data file)`, entries: [] }
    if (table.entries.some((e) => e.asOf === t.entry.asOf))
      throw new MarginParamsError(`${t.file}: ${t.tableId} already has an entry for ${t.entry.asOf}`)
    out[t.tableId] = { ...table, entries: [...table.entries, t.entry as DatedEntry<unknown>] }
  }
  const merged = mergeOverrides(...overrides)
  for (const [id, user] of Object.entries(merged.tables)) {
    if (!user) continue
    const table = out[id] ?? { id, description: 'user table', entries: [] }
    out[id] = withUserEntries(table, user as DatedEntry<unknown>[])
  }
  return out as MarginTables
}

/**
 * Several overrides as one, in order of precedence (last wins): for one table and `asOf`, the entry of the
 * latest override is kept. Used to lay a user's venue-rules file over the tier tables imported from venue
 * responses (services/marginBook.ts).
 */
export function mergeOverrides(...overrides: Array<MarginParamsOverride | undefined>): MarginParamsOverride {
  const tables: Record<string, Map<string, DatedEntry<unknown>>> = {}
  for (const o of overrides)
    for (const [id, entries] of Object.entries(o?.tables ?? {})) {
      const m = (tables[id] ??= new Map())
      for (const e of entries ?? []) m.set(e.asOf, e as DatedEntry<unknown>)
    }
  return { tables: Object.fromEntries(Object.entries(tables).map(([id, m]) => [id, [...m.values()]])) } as MarginParamsOverride
}

/**
 * The entry of any table (built-in or user-added) in force on `asOf`, as `selectTable`.
 * @throws MarginParamsError when the table does not exist or for a malformed date.
 */
export function selectTableById<T>(tables: MarginTables, id: string, asOf: string): DatedSelection<T> {
  const t = tables[id]
  if (!t) throw new MarginParamsError(`no margin table "${id}": add it to the venue-rules file (docs/margin.md)`)
  return selectAsOf(t as DatedTable<T>, asOf, { fallbackToEarliest: true })
}

/**
 * Selects the entry of table `id` in force on `asOf` (YYYY-MM-DD). A date before the table's first entry
 * falls back to the earliest entry and is flagged (`beforeFirstEntry: true`) so the caller can show that
 * the parameters are younger than the date asked for.
 * @throws MarginParamsError for a malformed date.
 */
export function selectTable<Id extends MarginTableId>(
  tables: MarginTables,
  id: Id,
  asOf: string,
): DatedSelection<MarginTableValues<Id>> {
  return selectAsOf(tables[id] as DatedTable<MarginTableValues<Id>>, asOf, { fallbackToEarliest: true })
}

/**
 * The built-in tables (registry and tier data files) as a JSON-ready override document, for a user to copy
 * and edit.
 */
export function builtInMarginParamsDocument(): { format: string; tables: Record<string, DatedEntry<unknown>[]> } {
  const tables: Record<string, DatedEntry<unknown>[]> = {}
  for (const [id, t] of Object.entries(marginTables())) if (t) tables[id] = structuredClone(t.entries) as DatedEntry<unknown>[]
  return { format: MARGIN_PARAMS_FORMAT, tables }
}
