/**
 * The import part of the API contract: uploads, previews, import history, column mappings and the formats
 * list (zod schema per call; api.ts registers them). Files cross the boundary as base64 bytes, so the same
 * calls serve the browser (HTTP upload) and the desktop app (IPC).
 *
 * Units: decimal strings in the instrument's units (quantity in `quantityUnit`, prices in `priceUnit`);
 * times ISO-8601 UTC.
 */
import { z } from 'zod'
import { importRemoval } from './portfolioApi'

/**
 * What a file holds, which decides where it is stored: positions (a snapshot of accounts), trades (a log of
 * fills and cash movements), balances, market (quotes of a chain or dump), prices (closes of an underlying),
 * tiers (a venue's margin tier tables). Declared once here; importers, the stores and the API infer it.
 */
export const importContentKind = z.enum(['positions', 'trades', 'balances', 'market', 'prices', 'tiers'])
export type ImportContentKind = z.infer<typeof importContentKind>

/** Targets a column mapping can fill: Riskdesk's generic positions, balances or trades schema. */
export const mappingTarget = z.enum(['positions', 'balances', 'trades'])
export type MappingTarget = z.infer<typeof mappingTarget>

/** Fields of each target (required first). A mapping gives each a source column or a constant. */
export const MAPPING_FIELDS: Record<MappingTarget, { required: readonly string[]; optional: readonly string[] }> = {
  positions: { required: ['venue', 'account', 'instrument', 'quantity', 'entry_price'], optional: ['entry_time', 'note'] },
  balances: { required: ['venue', 'account', 'currency', 'amount'], optional: ['as_of'] },
  trades: { required: ['venue', 'account', 'instrument', 'time', 'side', 'quantity', 'price'], optional: ['fee', 'fee_currency', 'trade_id'] },
}

/**
 * A column mapping: how any CSV's columns become one of the generic schemas.
 *  - `columns`: target field → source column name (as in the file's header);
 *  - `constants`: target field → fixed value (e.g. venue `deribit`, account `main`), for fields the file lacks;
 *  - `delimiter`: comma, semicolon or tab (default: detected from the header line);
 *  - `headerLine`: 1-based line of the header (lines before it are a preamble);
 *  - `quantity.negate`: flip signs (files that write shorts positive and longs negative);
 *    `quantity.contracts`: quantities are contracts, multiplied by the contract size of the spec table;
 *    `quantity.sideColumn` + `sellValues`: the sign comes from a side column (positions/balances);
 *  - `time.format`: `iso` (with zone), `ms`, `s`, or a date-fns pattern such as `dd/MM/yyyy HH:mm` with
 *    `time.utcOffset` (required with a pattern: a time without zone is never guessed).
 */
export const columnMapping = z.object({
  target: mappingTarget,
  delimiter: z.enum([',', ';', '\t']).optional(),
  headerLine: z.number().int().min(1).max(50).default(1),
  columns: z.record(z.string(), z.string().min(1)),
  constants: z.record(z.string(), z.string()).default({}),
  quantity: z
    .object({
      negate: z.boolean().default(false),
      contracts: z.boolean().default(false),
      sideColumn: z.string().optional(),
      sellValues: z.array(z.string()).default(['sell', 'SELL', 'Sell', 'short', 'SHORT', 'Short', 'S']),
    })
    .default({ negate: false, contracts: false, sellValues: ['sell', 'SELL', 'Sell', 'short', 'SHORT', 'Short', 'S'] }),
  time: z.object({ format: z.string().min(1).default('iso'), utcOffset: z.string().optional() }).default({ format: 'iso' }),
})
export type ColumnMapping = z.infer<typeof columnMapping>
export type ColumnMappingInput = z.input<typeof columnMapping>

/** Options a user can state for files that do not say everything themselves. */
export const importSettings = z.object({
  portfolio: z.string().min(1).optional(),
  account: z.string().min(1).optional(),
  format: z.string().min(1).optional(),
  /** `+08:00`, `UTC-6`, `Z`. */
  utcOffset: z.string().min(1).optional(),
  underlying: z.string().min(1).optional(),
  quoteCurrency: z.string().min(1).optional(),
  venue: z.string().min(1).optional(),
  currency: z.string().min(1).optional(),
  /** The instant a snapshot without its own time stands for (ISO-8601 with zone), e.g. Hyperliquid's 2023 clearinghouseState. */
  snapshotTime: z.string().min(1).optional(),
  /** Day/month order of locale dates (Hyperliquid's UI CSV exports): `day-first` (25/09/2025) or `month-first` (9/25/2025). */
  dateOrder: z.enum(['day-first', 'month-first']).optional(),
  /** A saved mapping by name, or a mapping given inline (the Import view's dialog). */
  mappingName: z.string().min(1).optional(),
  mapping: columnMapping.optional(),
})
export type ImportSettings = z.infer<typeof importSettings>

/** A file's bytes as base64 (at most 64 MB of file). */
export const uploadedFile = z.object({
  fileName: z.string().min(1).max(400),
  contentBase64: z.string().max(90_000_000),
})

export const importRequest = uploadedFile.extend({ settings: importSettings.default({}) })
export type ImportRequest = z.input<typeof importRequest>

export const issueRow = z.object({
  file: z.string(),
  line: z.number().int().nullable(),
  column: z.string().nullable(),
  value: z.string().optional(),
  message: z.string(),
})
export type IssueRow = z.infer<typeof issueRow>

export const issueGroup = z.object({
  message: z.string(),
  column: z.string().nullable(),
  count: z.number().int(),
  lines: z.array(z.number().int()),
  values: z.array(z.string()),
})

export const skippedGroup = z.object({ reason: z.string(), count: z.number().int(), lines: z.array(z.number().int()) })

export const previewPosition = z.object({
  venue: z.string(),
  account: z.string(),
  instrument: z.string(),
  /** Canonical (ccxt-style unified) symbol. */
  symbol: z.string(),
  kind: z.enum(['spot', 'future', 'perpetual', 'option']),
  settlement: z.enum(['linear', 'inverse']),
  quantity: z.string(),
  quantityUnit: z.enum(['coin', 'usd']),
  entryPrice: z.string(),
  priceCurrency: z.string(),
  realizedPnl: z.string().nullable(),
  pnlCurrency: z.string().nullable(),
  line: z.number().int(),
})

/**
 * What an import produced — the one record of an import run, whatever ran it: the import service returns
 * it, the API's previewImport and importUpload answer it, `riskdesk import --json` prints its fields and the
 * history (importHistoryEntry) keeps its lasting part. A preview (dry run) is the same record with status
 * `preview`; a failed file the same record with `ok` false and its errors (nothing was written).
 */
export const importResult = z.object({
  fileName: z.string(),
  status: z.enum(['imported', 'duplicate', 'failed', 'preview']),
  ok: z.boolean(),
  format: z.string().nullable(),
  formatDescription: z.string().nullable(),
  content: importContentKind.nullable(),
  /** The import that holds the file: this one, or for a duplicate the earlier one. */
  importId: z.number().int().nullable(),
  /** Portfolio the positions, trades and balances went to (null for market-wide data and failed files). */
  portfolio: z.string().nullable().optional(),
  /** sha256 of the file's bytes (hex), once read. */
  sha256: z.string().nullable().optional(),
  /** For a duplicate file: when the same content was imported before (ISO-8601). */
  firstImportedAt: z.string().optional(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  header: z.array(z.string()).nullable(),
  /** 1-based line of the header (for an unrecognised CSV: the likeliest line). */
  headerLine: z.number().int().nullable(),
  /** The first lines of the file as text (up to 12, each cut at 400 characters). */
  rawLines: z.array(z.string()),
  sample: z.array(z.object({ line: z.number().int(), fields: z.array(z.string()) })),
  /** Data rows read from the file (header and preamble excluded). */
  rows: z.number().int(),
  positions: z.array(previewPosition),
  quotes: z.number().int(),
  fills: z.number().int(),
  ledgerEntries: z.number().int(),
  balances: z.array(z.object({ venue: z.string(), account: z.string(), currency: z.string(), amount: z.string(), asOf: z.string().nullable() })),
  closes: z.number().int(),
  /** Venue tier tables (brackets, risk limits, position tiers) the file gave (content `tiers`); absent before a file is read. */
  tierTables: z.number().int().optional(),
  skipped: z.array(skippedGroup),
  skippedCount: z.number().int(),
  /** Rows of this file that an earlier import already stored (same trade/row id, same close). */
  duplicateRows: z.number().int(),
  /** The earlier import holding the same bytes or rows. */
  duplicateOf: z.number().int().nullable(),
  notes: z.array(z.string()),
  errors: z.array(issueRow),
  errorGroups: z.array(issueGroup),
  errorCount: z.number().int(),
  /** The file's last row (logs, price history, snapshots with a time), ISO-8601 UTC. */
  asOf: z.string().nullable(),
})
export type ImportResult = z.infer<typeof importResult>
/** The import record under the name the Import view knows it by. */
export const importReport = importResult
export type ImportReport = ImportResult

export const formatInfo = z.object({
  id: z.string(),
  type: z.enum(['csv', 'json']),
  content: importContentKind,
  venue: z.string().nullable(),
  description: z.string(),
})

/**
 * One import as the history keeps it: the lasting part of its ImportResult (same fields, same meaning) and
 * who, when, how and with which options; `counts` is what landed. Times ISO-8601 UTC.
 */
export const importHistoryEntry = importResult
  .pick({ fileName: true, encoding: true, delimiter: true, duplicateRows: true, notes: true, skipped: true, asOf: true })
  .extend({
    id: z.number().int(),
    portfolio: z.string().nullable(),
    content: importContentKind,
    format: z.string(),
    sha256: z.string(),
    importedAt: z.string(),
    importedBy: z.string().nullable(),
    host: z.string().nullable(),
    rowsRead: z.number().int(),
    rowsImported: z.number().int(),
    rowsSkipped: z.number().int(),
    /** The options the user stated, as stored. */
    options: z.record(z.string(), z.unknown()),
    /** Accounts the import spoke for, `venue/name`. */
    accounts: z.array(z.string()),
    counts: z.object({
      positions: z.number().int(),
      quotes: z.number().int(),
      fills: z.number().int(),
      ledgerEntries: z.number().int(),
      balances: z.number().int(),
      closes: z.number().int(),
    }),
    /** When the import was removed from the database (its own removal or its portfolio's deletion); null while
     * it is there. `counts` of a removed import are what it held when it was removed. */
    removedAt: z.string().nullable(),
    /** What was taken out of this import after it landed (positions removed, the import removed), oldest first. */
    removals: z.array(importRemoval),
  })
export type ImportHistoryItem = z.infer<typeof importHistoryEntry>

export const savedMapping = z.object({ name: z.string(), mapping: columnMapping, updatedAt: z.string() })

/** The import calls; api.ts merges them into the contract. */
export const importCalls = {
  listFormats: { input: z.object({}), output: z.array(formatInfo) },
  previewImport: { input: importRequest, output: importReport },
  importUpload: { input: importRequest, output: importReport },
  listImports: {
    input: z.object({ portfolio: z.string().min(1).optional(), limit: z.number().int().min(1).max(1000).optional() }),
    output: z.array(importHistoryEntry),
  },
  listMappings: { input: z.object({}), output: z.array(savedMapping) },
  saveMapping: { input: z.object({ name: z.string().min(1).max(100), mapping: columnMapping }), output: savedMapping },
  deleteMapping: { input: z.object({ name: z.string().min(1) }), output: z.object({ deleted: z.boolean() }) },
} as const

export const IMPORT_CALL_NAMES = ['listFormats', 'previewImport', 'importUpload', 'listImports', 'listMappings', 'saveMapping', 'deleteMapping'] as const
