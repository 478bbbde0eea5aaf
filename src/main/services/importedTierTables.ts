/**
 * The tier tables a user imported from the venues' own responses (`riskdesk import tiers.json`,
 * importers/venues/<venue>/…Tiers.ts; stored market-wide by db/marginTierStore.ts) as an override of the margin
 * tables: laid over the built-in tables, under a venue-rules file given with the request
 * (services/marginBook.ts). For one table and day the latest import wins. Entries are validated again here
 * by the margin domain's own schemas (parseMarginParamsOverride).
 */
import type { Db } from '../db/database'
import { storedTierEntries } from '../db/marginTierStore'
import { MARGIN_PARAMS_FORMAT, parseMarginParamsOverride, type MarginParamsOverride } from '../domain/margin/index'

/**
 * The imported entries as a validated override document.
 * @throws MarginParamsError naming the table and field if a stored entry no longer has a valid shape.
 */
export function importedTierOverride(db: Db): MarginParamsOverride {
  const tables: Record<string, Map<string, unknown>> = {}
  for (const e of storedTierEntries(db)) {
    const m = (tables[e.tableId] ??= new Map())
    m.set(e.asOf, {
      asOf: e.asOf,
      dateBasis: e.dateBasis,
      sources: [...e.sources, `riskdesk import #${e.importId} (${e.fileName}, ${new Date(e.importedAt).toISOString()})`],
      note: e.note,
      values: e.values,
    })
  }
  return parseMarginParamsOverride({
    format: MARGIN_PARAMS_FORMAT,
    tables: Object.fromEntries(Object.entries(tables).map(([id, m]) => [id, [...m.values()]])),
  })
}
