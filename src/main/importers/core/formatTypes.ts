/**
 * The shape of a file format: how it is recognised (a CSV header signature, or a JSON shape) and how its
 * rows become domain objects pushed into an ImportSink. formats.ts lists them all.
 */
import type { ImportContentKind } from '../../../shared/importApi'
import type { ContractSpecTable } from '../../domain/instruments/contractSpecs'
import type { UtcOffsetMinutes } from './dates'
import type { ImportSink } from './importTypes'
import type { JsonDocument } from './jsonDocument'

/** What a file holds (declared once in shared/importApi.ts). */
export type { ImportContentKind } from '../../../shared/importApi'

/** What the user states for files that do not say it themselves; every field optional. */
export interface ReadOptions {
  /** Account for files that name none (JSON API dumps, logs); default `main`. */
  account?: string
  /** The import's clock, ms since epoch: the time of files that carry none, and the bound on dates. */
  receivedAt: number
  /** UTC offset of times written without a zone (OKX preamble, Binance file names say it; else the user). */
  utcOffsetMinutes?: UtcOffsetMinutes
  /** Underlying of a price file without a symbol column (e.g. `BTC`). */
  underlying?: string
  /** Quote currency of such a price file (default `USD`). */
  quoteCurrency?: string
  /** Venue of a ccxt dump (ccxt positions do not name their exchange). */
  venue?: string
  /** Currency of a Deribit transaction log (one file per currency; its name says it). */
  currency?: string
  /** Contract specifications (built-in table merged with the user's). */
  specs: ContractSpecTable
  /** The file name as the user gave it (a Binance export's name holds its UTC offset). */
  fileName: string
  /** The instant a snapshot without its own time stands for (Hyperliquid's 2023 clearinghouseState), ms UTC. */
  snapshotTime?: number
  /** Order of day and month in dates written `03/04/2025` (Hyperliquid's UI exports follow the browser's locale). */
  dateOrder?: DateOrder
}

/** `day-first` = 25/09/2025, `month-first` = 9/25/2025. */
export type DateOrder = 'day-first' | 'month-first'

export interface FormatContext {
  /** File name for issues. */
  file: string
  options: ReadOptions
  sink: ImportSink
}

export interface CsvFormatContext extends FormatContext {
  /** Cleaned header fields. */
  header: string[]
  /** Which header version matched (`v4`, `UTA`…). */
  version: string
  /** Lines before the header, cleaned. */
  preamble: string[]
  /** 0-based index of a column, -1 when absent. */
  col(name: string): number
  /** `Price (5)`: name and 1-based position, for messages. */
  label(name: string): string
}

export interface CsvRowHandler {
  row(fields: string[], line: number): void
  /** After the last row: emit what was gathered (market snapshots, price series…). */
  end(): void
}

export interface CsvFormat {
  type: 'csv'
  id: string
  /** One line for `riskdesk formats`. */
  description: string
  content: ImportContentKind
  venue: string | null
  /** Header versions: a file is this format when its header holds every column of one version. */
  versions: ReadonlyArray<{ name: string; columns: readonly string[]; optional?: readonly string[] }>
  /** What to do with columns outside the matched version: ignore them (with a note) or refuse them. */
  otherColumns: 'ignore' | 'refuse'
  /** The only delimiter to try (column mappings may fix it); default comma, semicolon and tab. */
  delimiter?: ',' | ';' | '\t'
  /** Lines allowed before the header (e.g. OKX's `UID:…,Time Zone:UTC+8`, CryptoDataDownload's URL). */
  preamble?: { maxLines: number; pattern: RegExp; describe: string }
  /** Streamed row by row into the sink (trade logs); otherwise the file is small enough to hold. */
  streaming: boolean
  /**
   * The file is a whole snapshot of each account it names (Riskdesk's generic positions CSV): it replaces all
   * of their earlier positions. Otherwise a file speaks only for the settlement currencies it holds
   * (a venue API dump per currency or per market, a trade log).
   */
  coversWholeAccount?: boolean
  open(ctx: CsvFormatContext): CsvRowHandler
}

export interface JsonFormat {
  type: 'json'
  id: string
  description: string
  content: ImportContentKind
  venue: string | null
  /** Cheap test on the parsed value: is this file of this format? */
  detect(value: unknown): boolean
  /** Pushes everything into `ctx.sink`; returns the number of records (array elements) read. */
  read(doc: JsonDocument, ctx: FormatContext): number
}

export type FileFormat = CsvFormat | JsonFormat
