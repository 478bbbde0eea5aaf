/**
 * Every format Riskdesk reads. CSV formats are recognised by their header (csvDetect.ts: the most specific
 * header wins, so order does not matter among them); JSON formats by their shape (`detect`, the first match
 * wins, so more specific shapes come first). `riskdesk formats` prints them with one line each;
 * docs/importers.md describes each with its units, conventions and sources.
 */
import { bybitFundingFormat, genericBalancesFormat } from './balanceFormats'
import { binanceFuturesTradesFormat } from './binanceFuturesTrades'
import {
  binanceCoinmPositionRiskFormat,
  binanceIncomeFormat,
  binanceUsdmPositionRiskFormat,
  binanceUserTradesFormat,
} from './binanceJson'
import { bitmexExecutionsFormat } from './bitmexExecutions'
import { bybitClosedPnlFormat, bybitExecutionsFormat, bybitPositionsFormat, bybitTransactionLogJsonFormat } from './bybitJson'
import { bybitLegacyTransactionLogFormat, bybitTransactionLogFormat } from './bybitTransactionLog'
import { ccxtPositionsFormat } from './ccxtPositions'
import { deribitOptionChainFormat } from './deribitOptionChain'
import { deribitPositionsFormat } from './deribitPositions'
import { deribitTransactionLogFormat } from './deribitTransactionLog'
import type { CsvFormat, FileFormat, JsonFormat } from './formatTypes'
import { genericPositionsFormat } from './genericPositions'
import { genericTradesFormat } from './genericTrades'
import { ImportFailedError } from './importIssue'
import { okxPositionsFormat } from './okxPositions'
import { okxTradingHistoryFormat } from './okxTradingHistory'
import { cryptoDataDownloadFormat, ohlcvFormat } from './priceHistory'
import { binanceSpotOrdersFormat, binanceSpotTradesFormat, okexSpotTradesFormat } from './spotTradeHistories'
import { TIER_RESPONSE_FORMATS } from './tierResponses'

export const CSV_FORMATS: readonly CsvFormat[] = [
  genericPositionsFormat,
  genericTradesFormat,
  genericBalancesFormat,
  deribitTransactionLogFormat,
  binanceFuturesTradesFormat,
  bybitTransactionLogFormat,
  bybitLegacyTransactionLogFormat,
  okxTradingHistoryFormat,
  bitmexExecutionsFormat,
  binanceSpotTradesFormat,
  binanceSpotOrdersFormat,
  okexSpotTradesFormat,
  bybitFundingFormat,
  deribitOptionChainFormat,
  cryptoDataDownloadFormat,
  ohlcvFormat,
]

export const JSON_FORMATS: readonly JsonFormat[] = [
  deribitPositionsFormat,
  binanceCoinmPositionRiskFormat,
  binanceUsdmPositionRiskFormat,
  binanceUserTradesFormat,
  binanceIncomeFormat,
  bybitPositionsFormat,
  bybitTransactionLogJsonFormat,
  bybitExecutionsFormat,
  bybitClosedPnlFormat,
  okxPositionsFormat,
  ccxtPositionsFormat,
  ...TIER_RESPONSE_FORMATS,
]

export const FORMATS: readonly FileFormat[] = [...CSV_FORMATS, ...JSON_FORMATS]

/** The format with this id. @throws ImportFailedError naming the known ids. */
export function formatById(file: string, id: string): FileFormat {
  const format = FORMATS.find((f) => f.id === id)
  if (!format)
    throw new ImportFailedError([
      { file, line: null, column: null, message: `unknown format "${id}"; known: ${FORMATS.map((f) => f.id).join(', ')}` },
    ])
  return format
}
