/**
 * Coefficients of the delta-gamma-vega-theta (Taylor) estimate of a position's stress P&L, in the same P&L
 * definition as full revaluation (revaluationKernel.ts), as a function of the relative move s of the forward
 * (or futures mark), the vol change Δσ (decimal) and the time Δt (years):
 *
 *   P&L ≈ a₁·s + ½·a₂·s² + ν·Δσ + θ·Δt
 *
 * Derivation (r = 0, S₁ = S₀(1 + s), F₁ = F₀(1 + s); h = the coin an inverse position holds now: the venue's
 * coin mark × q for options, q·(1/E − 1/M₀) for futures, revalued with the index):
 *  - inverse option, f(s) = q·(V(F₁)/F₁ − V₀/F₀)·S₁ + h·S₀·s:  f′(0) = q·S₀·(Δ − V₀/F₀) + h·S₀ (the premium-
 *    adjusted delta plus the premium held, ≈ the USD delta q·S₀·Δ), f″(0) = q·S₀·F₀·Γ, ∂f/∂σ = q·S₀·vega/F₀,
 *    ∂f/∂t = q·S₀·θ/F₀;
 *  - linear option, f(s) = q·(V(F₁) − V₀): a₁ = q·F₀·Δ, a₂ = q·F₀²·Γ, ν = q·vega, θ = q·θ;
 *  - inverse future, f(s) = q·(1/M₀ − 1/M₁)·S₁ + h·S₀·s = (q·S₀/M₀ + h·S₀)·s: exact;
 *  - linear future and spot, f(s) = q·M₀·s: a₁ = q·M₀, exact.
 * Greeks are Black-76's with vega per 1.00 of vol and θ = ∂V/∂t per year (USD).
 */

export interface TaylorCoefficients {
  /** USD per unit relative move. */
  a1: number
  /** USD per (unit relative move)². */
  a2: number
  /** USD per 1.00 of vol. */
  vega: number
  /** USD per year. */
  theta: number
}

export interface OptionGreeksPerUnit {
  /** Black-76 USD price. */
  price: number
  delta: number
  /** Per USD. */
  gamma: number
  /** USD per 1.00 of vol. */
  vegaPerUnitVol: number
  /** USD per year (∂V/∂t). */
  thetaPerYear: number
}

/**
 * @param q quantity (coin for options and linear contracts, USD face for inverse futures)
 * @param F0 forward or futures mark, USD; @param S0 index, USD
 * @param heldCoin inverse only: the coin the position holds now (module comment), coin
 */
export function optionTaylor(inverse: boolean, q: number, F0: number, S0: number, g: OptionGreeksPerUnit, heldCoin = 0): TaylorCoefficients {
  if (inverse)
    return {
      a1: q * S0 * (g.delta - g.price / F0) + heldCoin * S0,
      a2: q * S0 * F0 * g.gamma,
      vega: (q * S0 * g.vegaPerUnitVol) / F0,
      theta: (q * S0 * g.thetaPerYear) / F0,
    }
  return { a1: q * F0 * g.delta, a2: q * F0 * F0 * g.gamma, vega: q * g.vegaPerUnitVol, theta: q * g.thetaPerYear }
}

export function linearTaylor(inverse: boolean, q: number, M0: number, S0: number, heldCoin = 0): TaylorCoefficients {
  return { a1: inverse ? (q * S0) / M0 + heldCoin * S0 : q * M0, a2: 0, vega: 0, theta: 0 }
}
