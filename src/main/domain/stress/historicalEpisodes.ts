/**
 * Historical crypto stress episodes as named scenarios, with their sources (research/margin-and-stress.md §6).
 *
 * Spot moves: worst move inside the stated window, UTC daily high → later low, from Yahoo Finance daily
 * OHLC (BTC-USD, ETH-USD) as mirrored in AddisonAdcock/BTC-Analytics, except 2024-08-05 (intraday levels from
 * news reports, no OHLC file). Implied-vol moves are absolute vol points on every option, taken from the
 * sources below; where the pre-event level is not documented the number is marked as an estimate.
 * All are gap moves (the price jumps to the shocked level) with spreads widened 3× — an assumption: crash days
 * show much wider books, but no sourced multiple was found.
 */
import type { ScenarioInput } from '../../../shared/scenario'

const CRASH_SPREAD_WIDENING = 3

export const HISTORICAL_EPISODES: readonly ScenarioInput[] = [
  {
    name: '2020-03-12 Black Thursday',
    description: 'COVID crash: BTC 12 Mar high → 13 Mar low −48.2 %, ETH −51.2 %; 1-month ATM BTC IV ≈ 65 % → 184 %.',
    source:
      'Yahoo Finance daily OHLC (AddisonAdcock/BTC-Analytics): BTC 7,929 → 4,107, ETH 195.2 → 95.2 (12–13 Mar 2020); ' +
      'Skew 1-m ATM BTC IV ≈ 65 % (9–10 Mar) → 184 % (16 Mar) via u.today / ohnocrypto.com',
    spot: { driver: 'BTC', shock: -0.482, byUnderlying: { ETH: -0.512 } },
    vol: { size: 119, mode: 'absolute' },
    spreadWidening: CRASH_SPREAD_WIDENING,
  },
  {
    name: '2021-05-19 China/Tesla sell-off',
    description: 'BTC 18 May high → 19 May low −33.0 %, ETH −45.2 %; BTC ATM IV ≈ 150 %.',
    source:
      'Yahoo Finance daily OHLC (AddisonAdcock/BTC-Analytics), 18–19 May 2021; BTC ATM IV ≈ 150 (TokenInsight), 1-week ' +
      '146.5 % (Skew, 17 May). Pre-event level not sourced: +50 vol points is an estimate.',
    spot: { driver: 'BTC', shock: -0.33, byUnderlying: { ETH: -0.452 } },
    vol: { size: 50, mode: 'absolute' },
    spreadWidening: CRASH_SPREAD_WIDENING,
  },
  {
    name: '2022-05 Terra/LUNA',
    description: 'BTC 9 May high → 12 May low −23.0 %, ETH −30.8 %; BTC 1-m ATM IV ≈ 70 → 130.',
    source:
      'Yahoo Finance daily OHLC (AddisonAdcock/BTC-Analytics): BTC 34,222 → 26,350 (9–12 May 2022); ' +
      'Deribit Insights "Crypto options market update": 1-m ATM ≈ 70 → ~130 vols on 12 May',
    spot: { driver: 'BTC', shock: -0.23, byUnderlying: { ETH: -0.308 } },
    vol: { size: 60, mode: 'absolute' },
    spreadWidening: CRASH_SPREAD_WIDENING,
  },
  {
    name: '2022-11 FTX collapse',
    description: 'BTC 8 Nov high → 9 Nov low −24.1 %, ETH −31.2 %; IV peak ≥ 97 (BVIV).',
    source:
      'Yahoo Finance daily OHLC (AddisonAdcock/BTC-Analytics): BTC 20,665 → 15,683, ETH 1,575 → 1,083 (8–9 Nov 2022); ' +
      'IV move not confirmed (Volmex: Aug 2024 BVIV 97 "highest since Nov 2022"). +40 vol points is an estimate.',
    spot: { driver: 'BTC', shock: -0.241, byUnderlying: { ETH: -0.312 } },
    vol: { size: 40, mode: 'absolute' },
    spreadWidening: CRASH_SPREAD_WIDENING,
  },
  {
    name: '2024-08-05 yen-carry unwind',
    description: 'BTC intraday 58,350 → 49,513 (−15.1 %), ETH 2,695 → 2,118 (−21.4 %); BVIV 59.65 → 89.04, EVIV 59.78 → 102.33.',
    source:
      'Intraday levels from news reports (cointrolly.com, mackhal.com); Volmex research note 7 Aug 2024 ' +
      '(charts.volmex.finance/symbol/BVIV): BVIV 59.65 → 89.04 (+29.39), EVIV 59.78 → 102.33 (+42.55), daily',
    spot: { driver: 'BTC', shock: -0.151, byUnderlying: { ETH: -0.214 } },
    vol: { size: 29.39, byUnderlying: { ETH: 42.55 }, mode: 'absolute' },
    spreadWidening: CRASH_SPREAD_WIDENING,
  },
]
