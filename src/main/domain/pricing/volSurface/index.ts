/** Volatility surface: raw SVI per expiry, total-variance interpolation, sticky rules, arbitrage report. */
export * from './svi'
export * from './surface'
