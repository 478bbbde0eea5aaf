/**
 * Dated parameter tables: every venue parameter (rates, tiers, shock sizes) lives in a table whose entries
 * carry the date from which they applied and where they come from. Exchanges change tiers and rates often;
 * a margin figure is only meaningful together with the table it was computed from, so every result built
 * from a table reports the entry it used (`asOf`, `sources`).
 *
 * Selection rule (`selectAsOf`): for an as-of date D (UTC calendar day, `YYYY-MM-DD`), the entry with the
 * latest `asOf` ≤ D applies. A date before the first entry is an error unless the caller accepts the
 * earliest entry explicitly (`fallbackToEarliest`), in which case the selection says so (`beforeFirstEntry`).
 *
 * User overrides: `withUserEntries` merges entries a user supplied (e.g. from a JSON file passed to
 * `riskdesk margin --venue-rules FILE`, validated by `parseMarginParamsOverride` in `./index.ts`); a user
 * entry with the same `asOf` as a built-in entry replaces it, any other date is added. The domain does no
 * I/O: reading the file is the service's job.
 */

/** How the `asOf` date of an entry was established. */
export type DateBasis =
  /** the venue announced the values as effective from this date */
  | 'effective'
  /** the date of the page, FAQ or API example the values were read from (they applied at least then) */
  | 'published'
  /** the page is undated; the date is when a copy of it was seen (the values applied at least then) */
  | 'observed'
  /**
   * a venue API response: the date of its own server time (Bybit `time`), or, for a recording that carries
   * none, the start of the window it must have been recorded in (the note says how the window was found)
   */
  | 'recorded'
  /** a venue API response without a time of its own, imported by the user: the import day */
  | 'imported'
  /** supplied by the user */
  | 'user'

export interface DatedEntry<T> {
  /** First UTC calendar day the values apply, `YYYY-MM-DD`. */
  asOf: string
  dateBasis: DateBasis
  /** URLs or citations of the values. */
  sources: string[]
  /** Caveats: what is derived, reconstructed or unconfirmed. */
  note?: string
  values: T
}

export interface DatedTable<T> {
  /** Stable id, e.g. `binance.usdm.brackets.BTCUSDT`. */
  id: string
  description: string
  entries: DatedEntry<T>[]
}

/** The entry chosen for an as-of date. */
export interface DatedSelection<T> extends DatedEntry<T> {
  tableId: string
  /** The as-of date asked for. */
  requestedAsOf: string
  /** True when the requested date precedes every entry and the earliest entry was used anyway. */
  beforeFirstEntry: boolean
}

/** Thrown for a malformed date, an empty table, or a date before the first entry. */
export class MarginParamsError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MarginParamsError'
  }
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * Checks a `YYYY-MM-DD` calendar date (UTC) and returns it unchanged.
 * @throws MarginParamsError for anything else (including 2025-02-30).
 */
export function checkIsoDate(date: string, what = 'as-of date'): string {
  const m = DATE_RE.exec(date)
  if (m) {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
    if (d.toISOString().slice(0, 10) === date) return date
  }
  throw new MarginParamsError(`${what} "${date}": expected a calendar date YYYY-MM-DD`)
}

/** The UTC calendar day (`YYYY-MM-DD`) of an instant in ms since epoch. */
export function isoDateOfMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/**
 * The entry in force on `asOf`: the latest entry whose `asOf` ≤ the requested date (ISO dates compare as
 * strings).
 * @param options.fallbackToEarliest use the earliest entry when the date precedes all entries (flagged)
 * @throws MarginParamsError for a malformed date, an empty table, or a date before the first entry
 *   (unless `fallbackToEarliest`).
 */
export function selectAsOf<T>(
  table: DatedTable<T>,
  asOf: string,
  options: { fallbackToEarliest?: boolean } = {},
): DatedSelection<T> {
  checkIsoDate(asOf)
  if (table.entries.length === 0) throw new MarginParamsError(`table ${table.id} has no entries`)
  const sorted = [...table.entries].sort((a, b) => (a.asOf < b.asOf ? -1 : a.asOf > b.asOf ? 1 : 0))
  let chosen: DatedEntry<T> | undefined
  for (const e of sorted) if (e.asOf <= asOf) chosen = e
  if (chosen) return { ...chosen, tableId: table.id, requestedAsOf: asOf, beforeFirstEntry: false }
  if (options.fallbackToEarliest)
    return { ...sorted[0]!, tableId: table.id, requestedAsOf: asOf, beforeFirstEntry: true }
  throw new MarginParamsError(
    `table ${table.id} has no entry in force on ${asOf} (earliest entry: ${sorted[0]!.asOf})`,
  )
}

/** The most recent entry of a table (what applies "today" as far as the table knows). */
export function latestEntry<T>(table: DatedTable<T>): DatedSelection<T> {
  if (table.entries.length === 0) throw new MarginParamsError(`table ${table.id} has no entries`)
  const last = table.entries.reduce((a, b) => (b.asOf > a.asOf ? b : a))
  return { ...last, tableId: table.id, requestedAsOf: last.asOf, beforeFirstEntry: false }
}

/**
 * A copy of `table` with the user's entries merged in: an entry with an `asOf` already present replaces the
 * built-in one; others are added. Entries are checked for valid dates.
 * @throws MarginParamsError for a malformed date or two user entries with the same date.
 */
export function withUserEntries<T>(table: DatedTable<T>, userEntries: readonly DatedEntry<T>[]): DatedTable<T> {
  const seen = new Set<string>()
  for (const e of userEntries) {
    checkIsoDate(e.asOf, `user entry of ${table.id}`)
    if (seen.has(e.asOf)) throw new MarginParamsError(`two user entries of ${table.id} for ${e.asOf}`)
    seen.add(e.asOf)
  }
  const kept = table.entries.filter((e) => !seen.has(e.asOf))
  return { ...table, entries: [...kept, ...userEntries] }
}
