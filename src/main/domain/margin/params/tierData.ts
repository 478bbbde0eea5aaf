/**
 * Tier tables kept as data files (./data/*.json) rather than TypeScript literals: Binance leverage brackets and
 * Bybit risk limits copied row by row from a dated source, loaded and validated here. The domain does no I/O:
 * the files are bundled as JSON modules.
 *
 * File format `riskdesk-tier-tables/1`:
 *   { "format": "riskdesk-tier-tables/1",
 *     "defaults": { asOf, dateBasis, sources, note },          // shared by every table of the file
 *     "tables": [ { "table": "<table id>", "notionalUnit": "USDT", "asOf"?, "dateBasis"?, "sources"?, "note"?,
 *                   "rows": [ { floor, cap, mmr, maxLeverage?, publishedMaintenanceAmount? } ] } ] }
 * A table's own `note` is appended to the file's; its own `asOf`, `dateBasis`, `sources` replace the file's.
 *
 * Validation (`validateTierValues`, also used for the venues' own responses, importers/tierResponses.ts):
 * decimal strings only, floor of tier 1 = 0, each floor = the previous cap, caps increasing, MMR in [0, 1],
 * maximum leverage finite and > 0, and every published maintenance amount (Binance `cum`, Bybit MM
 * deduction) equal, exactly in decimal, to the recursion amount(n) = floor(n)·(MMR(n) − MMR(n−1)) +
 * amount(n−1) of ../tiers.ts. A table that fails is not loaded: the error names the file, table and row.
 */
import Decimal from 'decimal.js'
import { z } from 'zod'
import { buildTierTable, TierTableError } from '../tiers'
import type { TierTableValues } from './brackets'
import { checkIsoDate, MarginParamsError, type DatedEntry } from './datedTable'
import binanceUsdm2024 from './data/binance-usdm-brackets-2024-freqtrade.json' with { type: 'json' }
import bybitInverseDocs from './data/bybit-inverse-risk-limits-docs.json' with { type: 'json' }

/** The format tag of a tier data file. */
export const TIER_DATA_FORMAT = 'riskdesk-tier-tables/1'

/** Table-id families a tier data file may fill (their values are TierTableValues). */
export const TIER_TABLE_FAMILIES = [
  'binance.usdm.brackets.',
  'binance.coinm.brackets.',
  'bybit.linear.riskLimits.',
  'bybit.inverse.riskLimits.',
] as const

/** One table entry of a data file. */
export interface TierDataTable {
  tableId: string
  entry: DatedEntry<TierTableValues>
  /** Where it was read from (file path inside the repository). */
  file: string
}

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/
const decimalString = z.string().regex(DECIMAL, 'a non-negative decimal string such as "0.005"')
const dateBasis = z.enum(['effective', 'published', 'observed', 'recorded', 'imported', 'user'])
const row = z
  .object({
    floor: decimalString,
    cap: decimalString.nullable(),
    mmr: decimalString,
    maxLeverage: z.number().finite().positive().optional(),
    publishedMaintenanceAmount: decimalString.optional(),
  })
  .strict()
const fileSchema = z
  .object({
    $comment: z.string().optional(),
    format: z.literal(TIER_DATA_FORMAT),
    defaults: z
      .object({ asOf: z.string(), dateBasis, sources: z.array(z.string().min(1)).min(1), note: z.string().optional() })
      .strict(),
    tables: z
      .array(
        z
          .object({
            table: z.string().min(1),
            notionalUnit: z.string().regex(/^[A-Z0-9]+$/, 'a currency code such as "USDT" or "BTC"'),
            asOf: z.string().optional(),
            dateBasis: dateBasis.optional(),
            sources: z.array(z.string().min(1)).min(1).optional(),
            note: z.string().optional(),
            rows: z.array(row).min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()

/**
 * Checks one tier table (module comment) and returns it unchanged.
 * @param where names the table for messages, e.g. `data/x.json binance.usdm.brackets.BTCUSDT`
 * @returns notes on published amounts that differ from the recursion when `publishedMismatch` is 'note'
 * @throws MarginParamsError naming `where`, the row (1-based tier) and the field: non-decimal text, a gap or
 *   overlap between tiers, a cap not above its floor, an MMR outside [0, 1], a non-positive or non-finite
 *   maximum leverage, or (with `publishedMismatch: 'error'`, the default) a published maintenance amount that
 *   differs from the recursion.
 */
export function validateTierValues(
  values: TierTableValues,
  where: string,
  options: { publishedMismatch?: 'error' | 'note' } = {},
): string[] {
  values.rows.forEach((r, i) => {
    for (const [field, v] of [['floor', r.floor], ['cap', r.cap], ['mmr', r.mmr], ['publishedMaintenanceAmount', r.publishedMaintenanceAmount]] as const)
      if (v !== null && v !== undefined && !DECIMAL.test(v))
        throw new MarginParamsError(`${where}: tier ${i + 1} ${field} "${v}": expected a non-negative decimal string`)
    if (r.maxLeverage !== undefined && !(Number.isFinite(r.maxLeverage) && r.maxLeverage > 0))
      throw new MarginParamsError(`${where}: tier ${i + 1} maxLeverage ${r.maxLeverage}: expected a finite number > 0`)
  })
  let table
  try {
    table = buildTierTable(values)
  } catch (e) {
    if (e instanceof TierTableError) throw new MarginParamsError(`${where}: ${e.message}`)
    throw e
  }
  const notes: string[] = []
  values.rows.forEach((r, i) => {
    if (r.publishedMaintenanceAmount === undefined) return
    const computed = table.tiers[i]!.maintenanceAmountExact
    if (!new Decimal(r.publishedMaintenanceAmount).eq(computed)) {
      const msg = `${where}: tier ${i + 1} published maintenance amount ${r.publishedMaintenanceAmount} ≠ ${computed} from the recursion floor·ΔMMR + previous amount`
      if ((options.publishedMismatch ?? 'error') === 'error') throw new MarginParamsError(msg)
      notes.push(`${msg}; the recursion's amount is used`)
    }
  })
  return notes
}

/**
 * Parses and validates a tier data file (parsed JSON).
 * @param file the file's path, for messages
 * @throws MarginParamsError naming the file, table and field for anything the module comment excludes, an
 *   unknown table family, a bad date, or a table listed twice.
 */
export function parseTierDataFile(json: unknown, file: string): TierDataTable[] {
  const r = fileSchema.safeParse(json)
  if (!r.success)
    throw new MarginParamsError(
      `${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    )
  const d = r.data.defaults
  checkIsoDate(d.asOf, `${file} defaults.asOf`)
  const seen = new Set<string>()
  return r.data.tables.map((t, i) => {
    const where = `${file} tables[${i}] ${t.table}`
    if (!TIER_TABLE_FAMILIES.some((f) => t.table.startsWith(f) && t.table.length > f.length))
      throw new MarginParamsError(`${where}: not a tier table id (families: ${TIER_TABLE_FAMILIES.map((f) => f + '<SYMBOL>').join(', ')})`)
    if (seen.has(t.table)) throw new MarginParamsError(`${where}: listed twice`)
    seen.add(t.table)
    const asOf = checkIsoDate(t.asOf ?? d.asOf, `${where} asOf`)
    const values: TierTableValues = {
      notionalUnit: t.notionalUnit,
      rows: t.rows.map((x) => {
        const out: TierTableValues['rows'][number] = { floor: x.floor, cap: x.cap, mmr: x.mmr }
        if (x.maxLeverage !== undefined) out.maxLeverage = x.maxLeverage
        if (x.publishedMaintenanceAmount !== undefined) out.publishedMaintenanceAmount = x.publishedMaintenanceAmount
        return out
      }),
    }
    validateTierValues(values, where)
    const note = [d.note, t.note].filter((x): x is string => x !== undefined).join(' ')
    const entry: DatedEntry<TierTableValues> = { asOf, dateBasis: t.dateBasis ?? d.dateBasis, sources: t.sources ?? d.sources, values }
    if (note) entry.note = note
    return { tableId: t.table, entry, file }
  })
}

/** Every table of the bundled data files, validated when this module loads. */
export const BUILT_IN_TIER_DATA: readonly TierDataTable[] = [
  ...parseTierDataFile(binanceUsdm2024, 'src/main/domain/margin/params/data/binance-usdm-brackets-2024-freqtrade.json'),
  ...parseTierDataFile(bybitInverseDocs, 'src/main/domain/margin/params/data/bybit-inverse-risk-limits-docs.json'),
]
