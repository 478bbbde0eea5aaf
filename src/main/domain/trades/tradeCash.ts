/**
 * The cash a trade moves in its account at the moment it is done, the way the venue books it:
 *  - an option's premium, quantity × price, in the price currency (Deribit inverse options: BTC or ETH, the coin
 *    the option is quoted in; linear options: USD or the stablecoin they settle in) — paid by a buyer, received by
 *    a seller (Deribit, "Options" contract specification: the premium is taken from or added to the balance);
 *  - a spot trade's price, quantity × price, in the price (quote) currency, paid by a buyer (the coin bought is
 *    the position itself);
 *  - nothing for futures and perpetuals: their P&L against entry is settled later (unrealized P&L in equity).
 * A what-if leg carries this cash as its own balance line (valuationService.ts), so the book's value, Greeks,
 * stress, VaR and margin collateral see the trade's cost, not a free option at its mark.
 */
import type { Instrument } from '../../../shared/instrument'
import { D } from './decimal'

export interface TradeCash {
  /** Upper-case currency code (`BTC`, `USDC`, `USD`). */
  currency: string
  /** Signed decimal string in `currency`: negative when paid, positive when received. */
  amount: string
}

/**
 * @param quantity signed decimal string in the instrument's quantity unit (coin for options and spot)
 * @param price decimal string in the instrument's price unit (the entry price of the trade)
 * @returns the cash moved, or null for futures and perpetuals (no cash at the trade)
 * @throws Error (decimal.js) for a quantity or price that is not a decimal number
 */
export function tradeCash(instrument: Pick<Instrument, 'kind' | 'priceCurrency'>, quantity: string, price: string): TradeCash | null {
  if (instrument.kind !== 'option' && instrument.kind !== 'spot') return null
  // 50 significant digits: exact for any product of the decimal texts venues print.
  return { currency: instrument.priceCurrency.toUpperCase(), amount: new D(quantity).times(price).negated().toFixed() }
}
