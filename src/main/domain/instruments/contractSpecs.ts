/**
 * Contract specifications that export files do not carry: how much one contract is worth (Binance COIN-M
 * 100 USD for BTC, OKX `ctVal`, BitMEX XBTUSD 1 USD…). The built-in table is `resources/contract-specs.json`
 * (dated, every row with its source); a user table with the same shape extends or overrides it (see
 * docs/importers.md "Contract specifications"). Pure: the service reads the files and passes tables in.
 *
 * Matching: `match` is a glob on the venue's own instrument name (`*` = any run of characters, every other
 * character literal, whole name). Among the rows of a venue whose glob and `kinds` match, the one with the
 * most literal characters wins; on a tie the row listed later wins, so a user table (merged after the
 * built-in one) overrides the built-in rows it repeats.
 */
import { z } from 'zod'
import type { InstrumentKind, QuantityUnit } from '../../../shared/instrument'

export interface ContractSpec {
  /** Venue id, lower case. */
  venue: string
  /** Glob on the venue's instrument name, e.g. `BTCUSD_*`, `BTC-USD-*`. */
  match: string
  /** Kinds this row applies to; all kinds when omitted. */
  kinds?: InstrumentKind[]
  /** Value of one contract, a decimal string in `unit`. */
  contractSize: string
  /** `usd`: USD face value per contract (inverse); `coin`: units of the underlying per contract. */
  unit: QuantityUnit
  /** Smallest order step, a decimal string in `unit`, when the venue trades fractions of a contract (Deribit BTC
   * options: contract 1 BTC, orders in steps of 0.1 BTC); omitted = one contract. */
  minTradeAmount?: string
  /** Where the figure comes from (venue page, announcement). */
  source: string
  /** When the source was read, YYYY-MM-DD. */
  checked: string
  note?: string
}

export interface ContractSpecTable {
  /** Date of the table (the latest `checked` of its rows, as its authors state). */
  asOf: string
  specs: ContractSpec[]
  /** Where each part of the table came from (file names), for messages. */
  origins: string[]
}

const decimal = z.string().regex(/^\d+(\.\d+)?$/, { message: 'expected a positive decimal string such as "100" or "0.01"' })
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date YYYY-MM-DD' })
const specSchema = z.object({
  venue: z.string().regex(/^[a-z0-9-]+$/, { message: 'expected a lower-case venue id such as okx' }),
  match: z.string().min(1),
  kinds: z.array(z.enum(['spot', 'future', 'perpetual', 'option'])).min(1).optional(),
  contractSize: decimal.refine((s) => Number(s) > 0, { message: 'a contract size must be greater than 0' }),
  unit: z.enum(['usd', 'coin'], { message: 'expected "usd" (face value) or "coin"' }),
  minTradeAmount: decimal.refine((s) => Number(s) > 0, { message: 'a minimum trade amount must be greater than 0' }).optional(),
  source: z.string().min(1, { message: 'say where the figure comes from' }),
  checked: day,
  note: z.string().optional(),
})
const tableSchema = z.object({ asOf: day, specs: z.array(specSchema) }).passthrough()

/** Thrown for a contract-spec table that does not have the documented shape. */
export class ContractSpecTableError extends Error {
  constructor(
    readonly origin: string,
    readonly problems: string[],
  ) {
    super(`${origin}: not a valid contract-spec table: ${problems.join('; ')}`)
    this.name = 'ContractSpecTableError'
  }
}

/**
 * Validates a parsed JSON value as a contract-spec table `{asOf, specs: [...]}`.
 * @param origin file name, for messages and `origins`
 * @throws ContractSpecTableError naming each bad row and field
 */
export function parseContractSpecTable(value: unknown, origin: string): ContractSpecTable {
  const parsed = tableSchema.safeParse(value)
  if (!parsed.success)
    throw new ContractSpecTableError(
      origin,
      parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`),
    )
  return { asOf: parsed.data.asOf, specs: parsed.data.specs, origins: [origin] }
}

/** The user table's rows after the built-in ones (so they win ties); `asOf` is the later of the two. */
export function mergeSpecTables(base: ContractSpecTable, extra: ContractSpecTable): ContractSpecTable {
  return {
    asOf: extra.asOf > base.asOf ? extra.asOf : base.asOf,
    specs: [...base.specs, ...extra.specs],
    origins: [...base.origins, ...extra.origins],
  }
}

const globCache = new Map<string, RegExp>()
function globRegExp(glob: string): RegExp {
  let re = globCache.get(glob)
  if (!re) {
    re = new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
    globCache.set(glob, re)
  }
  return re
}

/** The row that applies to `name` (see the module docstring for precedence), or null. */
export function findContractSpec(table: ContractSpecTable, venue: string, name: string, kind: InstrumentKind): ContractSpec | null {
  let best: ContractSpec | null = null
  let bestLiterals = -1
  for (const spec of table.specs) {
    if (spec.venue !== venue) continue
    if (spec.kinds && !spec.kinds.includes(kind)) continue
    if (!globRegExp(spec.match).test(name)) continue
    const literals = spec.match.replaceAll('*', '').length
    if (literals >= bestLiterals) {
      best = spec
      bestLiterals = literals
    }
  }
  return best
}

/** Thrown when no row of the table gives an instrument's contract size: Riskdesk will not guess it. */
export class MissingContractSpecError extends Error {
  constructor(
    readonly venue: string,
    readonly instrumentName: string,
    origins: readonly string[],
  ) {
    super(
      `no contract size known for ${venue} ${instrumentName} (tables: ${origins.join(', ') || 'none'}); add a row ` +
        `{"venue": "${venue}", "match": "${instrumentName}", "contractSize": "…", "unit": "usd|coin", "source": "…", ` +
        `"checked": "YYYY-MM-DD"} to your contract-spec file (docs/importers.md, "Contract specifications")`,
    )
    this.name = 'MissingContractSpecError'
  }
}

/**
 * The contract spec of an instrument, or MissingContractSpecError.
 * @throws MissingContractSpecError
 */
export function requireContractSpec(table: ContractSpecTable, venue: string, name: string, kind: InstrumentKind): ContractSpec {
  const spec = findContractSpec(table, venue, name, kind)
  if (!spec) throw new MissingContractSpecError(venue, name, table.origins)
  return spec
}
