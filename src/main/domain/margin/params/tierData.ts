/**
 * Tier tables kept as data files (./data/*.json) rather than TypeScript literals: Binance leverage brackets,
 * Bybit risk limits and OKX position tiers copied row by row from a dated source, loaded and validated here.
 * The domain does no I/O: the files are bundled as JSON modules.
 *
 * File format `riskdesk-tier-tables/1`:
 *   { "format": "riskdesk-tier-tables/1",
 *     "defaults": { asOf, dateBasis, sources, note },          // shared by every table of the file
 *     "tables": [ { "table": "<table id>", "asOf"?, "dateBasis"?, "sources"?, "note"?,
 *                   // Binance brackets / Bybit risk limits (notional tiers):
 *                   "notionalUnit": "USDT", "rows": [ { floor, cap, mmr, maxLeverage?, publishedMaintenanceAmount? } ]
 *                   // or OKX position tiers (sizes in contracts), family okx.swap.tiers.<INSTRUMENT>:
 *                   "okx": { contractValue, contractValueUnit: "coin" | "usd", contractValueSource,
 *                            explicit: [ { maxContracts, mmr, minImr, maxLeverage } ],
 *                            step?: { contracts, mmr, imr, generatedTiers } } } ] }
 * A table's own `note` is appended to the file's; its own `asOf`, `dateBasis`, `sources` replace the file's. An
 * OKX table's `contractValueSource` (where the value of one contract was read: OKX sizes tiers in contracts) is
 * added to its sources.
 *
 * Validation (`validateTierValues`, also used for the venues' own responses, importers/tierResponses.ts):
 * decimal strings only, floor of tier 1 = 0, each floor = the previous cap, caps increasing, MMR in [0, 1],
 * maximum leverage finite and > 0, and every published maintenance amount (Binance `cum`, Bybit MM
 * deduction) equal, exactly in decimal, to the recursion amount(n) = floor(n)·(MMR(n) − MMR(n−1)) +
 * amount(n−1) of ../tiers.ts. OKX tiers (`validateOkxTierValues`): contract value > 0, caps in contracts strictly
 * increasing, MMR and minimum IMR in [0, 1] and never decreasing, IMR ≥ MMR, leverage finite and > 0, the tiers
 * a step rule generates (OKX's "increase by N conts / +x % from the previous tier") keeping IMR ≤ 1. A table
 * that fails is not loaded: the error names the file, table and row.
 */
import Decimal from 'decimal.js'
import { z } from 'zod'
import { buildTierTable, TierTableError } from '../tiers'
import type { OkxTierValues, TierTableValues } from './brackets'
import { checkIsoDate, MarginParamsError, type DatedEntry } from './datedTable'
import binanceUsdm2024 from './data/binance-usdm-brackets-2024-freqtrade.json' with { type: 'json' }
import bybitInverseDocs from './data/bybit-inverse-risk-limits-docs.json' with { type: 'json' }
import okxAnnouncements2023 from './data/okx-swap-tiers-2023-announcements.json' with { type: 'json' }

/** The format tag of a tier data file. */
export const TIER_DATA_FORMAT = 'riskdesk-tier-tables/1'

/** Table-id families a tier data file may fill (their values are TierTableValues). */
export const TIER_TABLE_FAMILIES = [
  'binance.usdm.brackets.',
  'binance.coinm.brackets.',
  'bybit.linear.riskLimits.',
  'bybit.inverse.riskLimits.',
  'okx.swap.tiers.',
] as const

/** The family whose tables are OKX position tiers (values OkxTierValues, sizes in contracts). */
const OKX_FAMILY = 'okx.swap.tiers.'

/** One table entry of a data file: notional tiers (Binance, Bybit) or OKX position tiers in contracts. */
export type TierDataTable =
  | {
      kind: 'notional'
      tableId: string
      entry: DatedEntry<TierTableValues>
      /** Where it was read from (file path inside the repository). */
      file: string
    }
  | { kind: 'okx'; tableId: string; entry: DatedEntry<OkxTierValues>; file: string }

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
const okxTier = z
  .object({ maxContracts: decimalString, mmr: decimalString, minImr: decimalString, maxLeverage: z.number().finite().positive() })
  .strict()
const okxBlock = z
  .object({
    contractValue: decimalString,
    contractValueUnit: z.enum(['coin', 'usd']),
    contractValueSource: z.string().min(1),
    explicit: z.array(okxTier).min(1),
    step: z
      .object({ contracts: decimalString, mmr: decimalString, imr: decimalString, generatedTiers: z.number().int().min(0).max(200) })
      .strict()
      .optional(),
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
            notionalUnit: z.string().regex(/^[A-Z0-9]+$/, 'a currency code such as "USDT" or "BTC"').optional(),
            asOf: z.string().optional(),
            dateBasis: dateBasis.optional(),
            sources: z.array(z.string().min(1)).min(1).optional(),
            note: z.string().optional(),
            rows: z.array(row).min(1).optional(),
            okx: okxBlock.optional(),
          })
          .strict()
          .superRefine((t, ctx) => {
            const okx = t.table.startsWith(OKX_FAMILY)
            if (okx && (t.okx === undefined || t.rows !== undefined || t.notionalUnit !== undefined))
              ctx.addIssue({ code: 'custom', message: `an ${OKX_FAMILY}* table takes "okx" (position tiers in contracts), not "rows"/"notionalUnit"` })
            if (!okx && (t.rows === undefined || t.notionalUnit === undefined || t.okx !== undefined))
              ctx.addIssue({ code: 'custom', message: 'a notional tier table takes "notionalUnit" and "rows" (and no "okx")' })
          }),
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
 * Checks OKX position tiers (module comment) and returns them unchanged. Tier n covers (cap(n−1), cap(n)]
 * contracts; the tiers after the explicit ones add `stepContracts` to the cap and `mmrStep` / `imrStep` to the
 * rates (../tiers.ts expandOkxTiers).
 * @param where names the table for messages
 * @throws MarginParamsError naming `where`, the tier and the field: a non-positive contract value, a cap not above
 *   the previous one, an MMR or IMR outside [0, 1] or below the previous tier's, an IMR below the MMR, a
 *   non-positive leverage, a step rule with a zero cap step, or generated tiers whose IMR would pass 1.
 */
export function validateOkxTierValues(values: OkxTierValues, where: string): OkxTierValues {
  const fail = (msg: string): never => {
    throw new MarginParamsError(`${where}: ${msg}`)
  }
  for (const [field, v] of [['contractValue', values.contractValueCoin], ['stepContracts', values.stepContracts], ['mmrStep', values.mmrStep], ['imrStep', values.imrStep]] as const)
    if (!DECIMAL.test(v)) fail(`${field} "${v}": expected a non-negative decimal string`)
  if (!new Decimal(values.contractValueCoin).gt(0)) fail(`contract value ${values.contractValueCoin}: expected > 0`)
  if (values.explicit.length === 0) fail('no tiers')
  values.explicit.forEach((t, i) => {
    const at = `tier ${i + 1}`
    for (const [field, v] of [['maxContracts', t.maxContracts], ['mmr', t.mmr], ['minImr', t.minImr]] as const)
      if (!DECIMAL.test(v)) fail(`${at} ${field} "${v}": expected a non-negative decimal string`)
    if (!(Number.isFinite(t.maxLeverage) && t.maxLeverage > 0)) fail(`${at} maxLeverage ${t.maxLeverage}: expected a finite number > 0`)
    for (const [field, v] of [['mmr', t.mmr], ['minImr', t.minImr]] as const) if (new Decimal(v).gt(1)) fail(`${at} ${field} ${v} outside [0, 1]`)
    if (new Decimal(t.minImr).lt(t.mmr)) fail(`${at} minImr ${t.minImr} below mmr ${t.mmr}`)
    if (!new Decimal(t.maxContracts).gt(0)) fail(`${at} maxContracts ${t.maxContracts}: expected > 0`)
    if (i > 0) {
      const prev = values.explicit[i - 1]!
      if (!new Decimal(t.maxContracts).gt(prev.maxContracts)) fail(`${at} maxContracts ${t.maxContracts} not above the previous tier's ${prev.maxContracts}`)
      if (new Decimal(t.mmr).lt(prev.mmr)) fail(`${at} mmr ${t.mmr} below the previous tier's ${prev.mmr}`)
      if (new Decimal(t.minImr).lt(prev.minImr)) fail(`${at} minImr ${t.minImr} below the previous tier's ${prev.minImr}`)
    }
  })
  if (values.generatedTiers > 0) {
    if (!new Decimal(values.stepContracts).gt(0)) fail('step rule: stepContracts must be > 0 when tiers are generated')
    const last = values.explicit[values.explicit.length - 1]!
    const lastImr = new Decimal(last.minImr).plus(new Decimal(values.imrStep).times(values.generatedTiers))
    if (lastImr.gt(1)) fail(`step rule: generated tier ${values.explicit.length + values.generatedTiers} would have IMR ${lastImr.toFixed()} > 1`)
  }
  return values
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
    const note = [d.note, t.note].filter((x): x is string => x !== undefined).join(' ')
    const dated = { asOf, dateBasis: t.dateBasis ?? d.dateBasis, sources: t.sources ?? d.sources, ...(note ? { note } : {}) }
    if (t.okx) {
      const o = t.okx
      const values: OkxTierValues = {
        contractValueCoin: o.contractValue,
        contractValueUnit: o.contractValueUnit,
        explicit: o.explicit.map((x) => ({ maxContracts: x.maxContracts, mmr: x.mmr, minImr: x.minImr, maxLeverage: x.maxLeverage })),
        stepContracts: o.step?.contracts ?? '0',
        mmrStep: o.step?.mmr ?? '0',
        imrStep: o.step?.imr ?? '0',
        generatedTiers: o.step?.generatedTiers ?? 0,
      }
      validateOkxTierValues(values, where)
      const entry: DatedEntry<OkxTierValues> = { ...dated, sources: [...dated.sources, `contract value: ${o.contractValueSource}`], values }
      return { kind: 'okx' as const, tableId: t.table, entry, file }
    }
    const values: TierTableValues = {
      notionalUnit: t.notionalUnit!,
      rows: t.rows!.map((x) => {
        const out: TierTableValues['rows'][number] = { floor: x.floor, cap: x.cap, mmr: x.mmr }
        if (x.maxLeverage !== undefined) out.maxLeverage = x.maxLeverage
        if (x.publishedMaintenanceAmount !== undefined) out.publishedMaintenanceAmount = x.publishedMaintenanceAmount
        return out
      }),
    }
    validateTierValues(values, where)
    const entry: DatedEntry<TierTableValues> = { ...dated, values }
    return { kind: 'notional' as const, tableId: t.table, entry, file }
  })
}

/** Every table of the bundled data files, validated when this module loads. */
export const BUILT_IN_TIER_DATA: readonly TierDataTable[] = [
  ...parseTierDataFile(binanceUsdm2024, 'src/main/domain/margin/params/data/binance-usdm-brackets-2024-freqtrade.json'),
  ...parseTierDataFile(bybitInverseDocs, 'src/main/domain/margin/params/data/bybit-inverse-risk-limits-docs.json'),
  ...parseTierDataFile(okxAnnouncements2023, 'src/main/domain/margin/params/data/okx-swap-tiers-2023-announcements.json'),
]
