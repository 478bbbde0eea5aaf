/**
 * A position's margin terms and margin figures as the venue itself reported them in a position snapshot
 * (Binance positionRisk, Bybit v5 position list, OKX positions, Deribit get_positions, ccxt fetchPositions).
 * The terms (leverage, cross or isolated, isolated margin) are what the venue applies to the position and
 * feed Riskdesk's margin model unless the user overrides them (margin-settings); the figures (liquidation
 * price, IM, MM) are the venue's own and are shown beside Riskdesk's for comparison, never used in place of
 * them. Stored as JSON on the position row (positions.venue_margin) and validated with this schema when read.
 */
import { z } from 'zod'

/** A non-negative decimal string as the venue wrote it (`0.00139186`). */
const amountText = z.string().regex(/^\d+(\.\d+)?$/, 'a non-negative decimal string')

export const venueMarginTerms = z
  .object({
    /** The file and fields these come from, e.g. `binance positionRisk (leverage, marginType, isolatedWallet)`. */
    source: z.string(),
    /** Leverage picked at the venue (Binance, Bybit, OKX: IM = notional ÷ leverage); Deribit's is an effective figure, informational. */
    leverage: z.number().positive().nullable(),
    /** Margin mode of the position; null when the file does not say. */
    mode: z.enum(['cross', 'isolated']).nullable(),
    /** Isolated positions: the margin assigned to the position, without its unrealized P&L, in `currency`. */
    isolatedMargin: amountText.nullable(),
    /** The venue's liquidation price (estimate), in the instrument's price currency (USD/USDT); null when none is given (0 or empty). */
    liquidationPrice: z.number().positive().nullable(),
    /** The venue's initial and maintenance margin of the position, in `currency`. */
    initialMargin: amountText.nullable(),
    maintenanceMargin: amountText.nullable(),
    /** The venue's maximum leverage for the asset when the file states it (Hyperliquid `maxLeverage`). */
    maxLeverage: z.number().positive().nullable().optional(),
    /** Currency of isolatedMargin, initialMargin and maintenanceMargin (the margin asset). */
    currency: z.string(),
  })
  .strict()
export type VenueMarginTerms = z.infer<typeof venueMarginTerms>
