/**
 * Currency vocabulary shared by every layer: the USD numeraire and the USD stablecoins.
 *
 * Riskdesk reports in USD. `USD` itself is the numeraire: a USD balance is cash, worth its amount, never
 * shocked. USD stablecoins (USDT, USDC, …) are valued at par by default but are exposures of their own: a
 * scenario may move them (a de-peg, e.g. `spot.byUnderlying: { USDT: -0.05 }`); they do not follow a crypto
 * driver's move (their beta to BTC is 0).
 */

/** The reporting currency. */
export const NUMERAIRE = 'USD'

/** USD stablecoins valued at par unless a scenario moves them. */
export const USD_STABLECOINS: ReadonlySet<string> = new Set(['USDT', 'USDC', 'BUSD', 'FDUSD', 'DAI', 'USDE', 'TUSD', 'USDP', 'PYUSD'])

/** True for USD and the USD stablecoins (valued at 1 USD by default). */
export function isUsdLike(currency: string): boolean {
  const c = currency.toUpperCase()
  return c === NUMERAIRE || USD_STABLECOINS.has(c)
}

/** True for a USD stablecoin (not USD itself). */
export function isStablecoin(currency: string): boolean {
  return USD_STABLECOINS.has(currency.toUpperCase())
}

/**
 * Fiat currencies other than USD that venues quote spot pairs in (Bybit EU `BTCEUR`, …). A fiat balance is
 * valued only through a stored <CCY>/USD price (a price file with `--underlying EUR --quote USD`); without one it
 * is left unvalued with the reason, never assumed at par.
 */
export const FIAT_CURRENCIES: ReadonlySet<string> = new Set(['EUR', 'GBP', 'CHF', 'JPY', 'AUD', 'CAD', 'PLN', 'TRY', 'BRL', 'CZK', 'SEK', 'NOK', 'DKK', 'HUF', 'RON', 'MXN', 'ARS', 'KZT', 'UAH'])

/** True for a fiat currency other than USD. */
export function isFiat(currency: string): boolean {
  return FIAT_CURRENCIES.has(currency.toUpperCase())
}
