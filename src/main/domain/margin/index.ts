/**
 * Margin, liquidation and liquidation cascades, per venue rules (issue 6). Pure domain: no I/O.
 * Map of the modules (docs/margin.md has the models, parameters and sources):
 *  - params/*        dated parameter tables, user overrides, as-of selection
 *  - tiers           tiered MM (Binance brackets, Bybit risk limits, OKX tiers)
 *  - deribitStandard Deribit standard margin (futures, options)
 *  - deribitPortfolio Deribit portfolio margin (risk matrix and add-ons)
 *  - binance         Binance USDⓈ-M / COIN-M liquidation prices (closed forms with tier re-check)
 *  - bybit           Bybit isolated linear/inverse prices (formula versions); inverse cross bankruptcy and
 *                    liquidation prices with the fee to close (Bybit's published cross formulas)
 *  - okx             OKX margin ratio, inverse isolated prices, PM MR7
 *  - hyperliquid     Hyperliquid tiers (MM = half the IM at max leverage), published liquidation price, rule
 *  - span            SPAN-style 16-scenario requirement with a revaluation callback
 *  - solvers         Brent, outward scan, distance to liquidation
 *  - account         accounts, positions, collateral and their revaluation (equity, IM, MM, ratio)
 *  - liquidation     numeric liquidation and bankruptcy prices, cross and isolated
 *  - marginUnderStress an account under stress scenarios (the under-stress table's rows)
 *  - rules           venue rules for the account model, `marginRuleFor`
 *  - cascade         liquidation-cascade simulation
 *  - adapters        decimal-string boundary (positions, balances, rounding)
 *  - scenarioShock   a stress-engine scenario as a margin shock (same spot/vol resolution as the kernel)
 *  - oracleVenues    oracle-marked venues (dated table) and the price each venue margins on under an oracle lag
 */
export * from './params/index'
export * from './tiers'
export * from './deribitStandard'
export * from './deribitPortfolio'
export * from './binance'
export * from './bybit'
export * from './okx'
export * from './hyperliquid'
export * from './dydx'
export * from './span'
export * from './solvers'
export * from './account'
export * from './liquidation'
export * from './marginUnderStress'
export * from './rules'
export * from './cascade'
export * from './adapters'
export * from './scenarioShock'
export * from './oracleVenues'
