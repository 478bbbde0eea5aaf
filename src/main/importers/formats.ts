/**
 * Every format Riskdesk reads. CSV formats are recognised by their header (csvDetect.ts: the most specific
 * header wins, so order does not matter among them); JSON formats by their shape (`detect`, the first match
 * wins, so more specific shapes come first). `riskdesk formats` prints them with one line each;
 * docs/importers.md describes each with its units, conventions and sources.
 */
import { binanceFuturesTradesFormat } from './venues/binance/binanceFuturesTrades'
import {
  binanceCoinmPositionRiskFormat,
  binanceIncomeFormat,
  binanceUsdmPositionRiskFormat,
  binanceUserTradesFormat,
} from './venues/binance/binanceJson'
import { bitmexExecutionsFormat } from './venues/bitmex/bitmexExecutions'
import { bybitClosedPnlFormat, bybitExecutionsFormat, bybitPositionsFormat, bybitTransactionLogJsonFormat } from './venues/bybit/bybitJson'
import { bybitLegacyTransactionLogFormat, bybitTransactionLogFormat } from './venues/bybit/bybitTransactionLog'
import { ccxtPositionsFormat } from './venues/ccxt/ccxtPositions'
import { deribitOptionChainFormat } from './venues/deribit/deribitOptionChain'
import { deribitPositionsFormat } from './venues/deribit/deribitPositions'
import { deribitTransactionLogFormat } from './venues/deribit/deribitTransactionLog'
import type { CsvFormat, FileFormat, JsonFormat } from './core/formatTypes'
import { genericPositionsFormat } from './venues/generic/genericPositions'
import { genericTradesFormat } from './venues/generic/genericTrades'
import { hyperliquidClearinghouseFormat } from './venues/hyperliquid/hyperliquidClearinghouse'
import {
  hyperliquidFundingHistoryFormat,
  hyperliquidTradeHistoryFormat,
  hyperliquidUserFillsFormat,
  hyperliquidUserFundingFormat,
} from './venues/hyperliquid/hyperliquidFills'
import { hyperliquidSpotStateFormat } from './venues/hyperliquid/hyperliquidSpot'
import { dydxAddressFormat, dydxParentSubaccountFormat, dydxPerpetualPositionsFormat, dydxSubaccountFormat } from './venues/dydx/dydxSubaccounts'
import { dydxFillsFormat } from './venues/dydx/dydxFills'
import { dydxPerpetualMarketsFormat } from './venues/dydx/dydxMarkets'
import { ImportFailedError } from './core/importIssue'
import { okxPositionsFormat } from './venues/okx/okxPositions'
import { okxTradingHistoryFormat } from './venues/okx/okxTradingHistory'
import { cryptoDataDownloadFormat, ohlcvFormat } from './venues/generic/priceHistory'
import { binanceSpotOrdersFormat, binanceSpotTradesFormat } from './venues/binance/binanceSpot'
import { binanceCoinmLeverageBracketFormat, binanceUsdmLeverageBracketFormat } from './venues/binance/binanceTiers'
import { bybitFundingFormat } from './venues/bybit/bybitFunding'
import { bybitRiskLimitFormat } from './venues/bybit/bybitTiers'
import { ccxtBinanceLeverageTiersFormat } from './venues/ccxt/ccxtTiers'
import { genericBalancesFormat } from './venues/generic/genericBalances'
import { okexSpotTradesFormat } from './venues/okx/okexSpot'
import { okxPositionTiersFormat } from './venues/okx/okxTiers'

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
  hyperliquidTradeHistoryFormat,
  hyperliquidFundingHistoryFormat,
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
  hyperliquidClearinghouseFormat,
  hyperliquidUserFillsFormat,
  hyperliquidUserFundingFormat,
  hyperliquidSpotStateFormat,
  dydxAddressFormat,
  dydxSubaccountFormat,
  dydxParentSubaccountFormat,
  dydxPerpetualPositionsFormat,
  dydxFillsFormat,
  dydxPerpetualMarketsFormat,
  // The venues' tier responses, most specific shape first.
  binanceUsdmLeverageBracketFormat,
  binanceCoinmLeverageBracketFormat,
  bybitRiskLimitFormat,
  okxPositionTiersFormat,
  ccxtBinanceLeverageTiersFormat,
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
