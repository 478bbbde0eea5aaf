/**
 * Option pricing and implied volatility for checking and scripting (`riskdesk price` and `riskdesk iv`): one
 * option per call, in the models Riskdesk prices with.
 *
 *   price: {"model":"black76"|"black_scholes"|"black_scholes_merton"|"inverse_black76", "type":"call"|"put",
 *           "F" (black76, inverse_black76) or "S" (black_scholes*), "K", "T" (years), "r", "q", "sigma"}
 *       → {"price","delta","gamma","vega","theta","rho","vanna","volga","charm"} (+ "priceCoin","deltaCoin"
 *         for inverse_black76); units: price USD; delta per unit of F (or S); gamma per USD; vega and vanna
 *         per vol point; volga per (vol point)²; theta and charm per calendar day; rho per 1%.
 *   iv:    {"model","type","F" or "S","K","T","r","q","price"} (price in USD; "priceCoin" accepted for
 *           inverse_black76) → {"sigma"} (decimal).
 * Rates, q and sigma are decimals; r and q default to 0. Sources: domain/pricing (Black-76, Black–Scholes–
 * Merton, Deribit inverse options; docs/pricing.md).
 */
import { z } from 'zod'
import { black76 } from '../domain/pricing/black76'
import { blackScholes, blackScholesMerton } from '../domain/pricing/blackScholes'
import { tryImpliedVolBlack76, tryImpliedVolInverse, type ImpliedVolResult } from '../domain/pricing/impliedVol'
import { inverseOption } from '../domain/pricing/inverseOption'

const MODELS = ['black76', 'black_scholes', 'black_scholes_merton', 'inverse_black76'] as const
type Model = (typeof MODELS)[number]

const finite = z.number().refine(Number.isFinite, { message: 'expected a finite number' })
const common = {
  model: z.enum(MODELS, { message: `expected model ${MODELS.join(' | ')}` }),
  type: z.enum(['call', 'put'], { message: 'expected type call | put' }),
  F: finite.optional(),
  S: finite.optional(),
  K: finite,
  T: finite,
  r: finite.optional(),
  q: finite.optional(),
}
const priceSchema = z.object({ ...common, sigma: finite }).strict()
const ivSchema = z.object({ ...common, price: finite.optional(), priceCoin: finite.optional() }).strict()

function underlying(model: Model, F: number | undefined, S: number | undefined): number {
  const spotModel = model === 'black_scholes' || model === 'black_scholes_merton'
  const [want, got, other] = spotModel ? ['S', S, F] : ['F', F, S]
  if (other !== undefined) throw new Error(`${model} takes "${want}", not "${spotModel ? 'F' : 'S'}"`)
  if (got === undefined) throw new Error(`${model} needs "${want}"`)
  return got
}

/**
 * Prices one option.
 * @throws ZodError for a malformed input; Error naming what is wrong (a model given S instead of F…); the
 *   pricer's PricingInputError for inputs out of domain
 */
export function priceLine(input: unknown): Record<string, number> {
  const o = priceSchema.parse(input)
  const u = underlying(o.model, o.F, o.S)
  if (o.model !== 'black_scholes_merton' && o.model !== 'black_scholes' && o.q !== undefined && o.q !== 0)
    throw new Error(`${o.model} takes no dividend yield "q"`)
  const pick = (g: { price: number; delta: number; gamma: number; vega: number; theta: number; rho: number; vanna: number; volga: number; charm: number }) => ({
    price: g.price,
    delta: g.delta,
    gamma: g.gamma,
    vega: g.vega,
    theta: g.theta,
    rho: g.rho,
    vanna: g.vanna,
    volga: g.volga,
    charm: g.charm,
  })
  switch (o.model) {
    case 'black76':
      return pick(black76({ type: o.type, F: u, K: o.K, T: o.T, r: o.r, sigma: o.sigma }))
    case 'inverse_black76': {
      const g = inverseOption({ type: o.type, F: u, K: o.K, T: o.T, r: o.r, sigma: o.sigma })
      return { ...pick(g), priceCoin: g.priceCoin, deltaCoin: g.deltaCoin }
    }
    case 'black_scholes':
      if (o.q !== undefined && o.q !== 0) throw new Error('black_scholes takes no dividend yield; use black_scholes_merton')
      return pick(blackScholes({ type: o.type, S: u, K: o.K, T: o.T, r: o.r, sigma: o.sigma }))
    case 'black_scholes_merton':
      return pick(blackScholesMerton({ type: o.type, S: u, K: o.K, T: o.T, r: o.r, q: o.q, sigma: o.sigma }))
  }
}

/**
 * Implied vol of one option price.
 * @throws as priceLine; Error with the solver's reason (e.g. below-intrinsic) when there is no vol
 */
export function ivLine(input: unknown): { sigma: number } {
  const o = ivSchema.parse(input)
  const u = underlying(o.model, o.F, o.S)
  const r = o.r ?? 0
  let res: ImpliedVolResult
  if (o.model === 'inverse_black76') {
    if ((o.price === undefined) === (o.priceCoin === undefined))
      throw new Error('inverse_black76 needs exactly one of "price" (USD) or "priceCoin"')
    res =
      o.priceCoin !== undefined
        ? tryImpliedVolInverse({ type: o.type, F: u, K: o.K, T: o.T, r, priceCoin: o.priceCoin })
        : tryImpliedVolBlack76({ type: o.type, F: u, K: o.K, T: o.T, r, price: o.price! })
  } else {
    if (o.priceCoin !== undefined) throw new Error(`${o.model} takes "price" (USD), not "priceCoin"`)
    if (o.price === undefined) throw new Error(`${o.model} needs "price"`)
    if (o.model === 'black76') {
      if (o.q !== undefined && o.q !== 0) throw new Error('black76 takes no dividend yield "q"')
      res = tryImpliedVolBlack76({ type: o.type, F: u, K: o.K, T: o.T, r, price: o.price })
    } else {
      const q = o.q ?? 0
      if (o.model === 'black_scholes' && q !== 0) throw new Error('black_scholes takes no dividend yield; use black_scholes_merton')
      if (!(u > 0)) throw new Error(`S = ${u}: expected a spot > 0`)
      // BSM is Black-76 on F = S·e^((r−q)T) with discount e^(−rT).
      res = tryImpliedVolBlack76({ type: o.type, F: u * Math.exp((r - q) * o.T), K: o.K, T: o.T, r, price: o.price })
    }
  }
  if (!res.ok) throw new Error(`${res.reason}: ${res.message}`)
  return { sigma: res.sigma }
}

