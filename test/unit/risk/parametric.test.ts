/**
 * Parametric VaR/ES: closed forms and the Euler allocation.
 *  - Delta-normal, one factor: VaR = −z·σ·|e| with z = Φ⁻¹(1 − α), ES = σ·φ(z)/(1 − α)·|e| (textbook, e.g. Hull,
 *    Risk Management and Financial Institutions, ch. 13). At α = 0.99, z = −2.3263478740408408,
 *    φ(z)/(1 − α) = 2.6652142203458; σ = 0.04, e = 100,000 → VaR 9,305.391496, ES 10,660.856881 (scipy.stats.norm).
 *  - Delta-gamma, one factor x ~ N(0, s²), P = a·x + ½g·x²: cumulants κ₁ = ½gs², κ₂ = a²s² + ½g²s⁴,
 *    κ₃ = 3a²gs⁴ + g³s⁶, κ₄ = 12a²g²s⁶ + 3g⁴s⁸ (moments of a non-central χ², by hand); checked through the
 *    moments the function reports.
 */
import { describe, expect, it } from 'vitest'
import { parametricVar, type FactorSensitivity } from '../../../src/main/domain/risk/parametric'

describe('parametric VaR', () => {
  it('delta-normal gives z·σ·|exposure| and σ·φ(z)/(1 − α)·|exposure|', () => {
    const r = parametricVar([[0.04 ** 2]], [{ a: [-100_000], gammaFactor: 0, gamma: 0, theta: 0 }], 0.99, false)
    expect(r.var).toBeCloseTo(9305.391496163363, 6)
    expect(r.es).toBeCloseTo(10660.856881383, 5)
  })

  it('delta-gamma cumulants follow the non-central χ² moments', () => {
    const a = 50_000
    const g = -400_000
    const s = 0.05
    const r = parametricVar([[s * s]], [{ a: [a], gammaFactor: 0, gamma: g, theta: -120 }], 0.99, true)
    const k2 = a * a * s * s + 0.5 * g * g * s ** 4
    expect(r.moments.mean).toBeCloseTo(-120 + 0.5 * g * s * s, 8)
    expect(r.moments.sd).toBeCloseTo(Math.sqrt(k2), 8)
    expect(r.moments.skewness).toBeCloseTo((3 * a * a * g * s ** 4 + g ** 3 * s ** 6) / k2 ** 1.5, 12)
    expect(r.moments.excessKurtosis).toBeCloseTo((12 * a * a * g * g * s ** 6 + 3 * g ** 4 * s ** 8) / k2 ** 2, 12)
    // Short gamma: the left tail is fatter than the normal's.
    const normal = parametricVar([[s * s]], [{ a: [a], gammaFactor: 0, gamma: 0, theta: -120 }], 0.99, false)
    expect(r.var).toBeGreaterThan(normal.var)
    expect(r.es).toBeGreaterThan(r.var)
  })

  it('Euler components add up to the totals and equal the derivative (finite differences)', () => {
    const sigma = [
      [0.0022585404158665676, 0.0023864503442031612, 0.0004, 0.0003],
      [0.0023864503442031612, 0.003178813429703818, 0.0002, 0.0005],
      [0.0004, 0.0002, 0.0009, 0.0001],
      [0.0003, 0.0005, 0.0001, 0.0011],
    ]
    const book: FactorSensitivity[] = [
      { a: [40_000, 0, 3_000, 0], gammaFactor: 0, gamma: -250_000, theta: 300 },
      { a: [-25_000, 0, -8_000, 0], gammaFactor: 0, gamma: 120_000, theta: -90 },
      { a: [0, 30_000, 0, 1_500], gammaFactor: 1, gamma: -90_000, theta: 40 },
      { a: [10_000, 0, 0, 0], gammaFactor: 0, gamma: 0, theta: 0 },
    ]
    for (const withGamma of [false, true]) {
      const r = parametricVar(sigma, book, 0.99, withGamma)
      const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0)
      expect(Math.abs(sum(r.componentVar) - r.var) / r.var).toBeLessThan(1e-12)
      expect(Math.abs(sum(r.componentEs) - r.es) / r.es).toBeLessThan(1e-12)
      // Component i = ∂VaR/∂tᵢ at tᵢ = 1 when position i is scaled by tᵢ: central difference, step 1e-5.
      book.forEach((_, i) => {
        const scaled = (t: number) =>
          parametricVar(sigma, book.map((q, j) => (j === i ? { a: q.a.map((v) => v * t), gammaFactor: q.gammaFactor, gamma: q.gamma * t, theta: q.theta * t } : q)), 0.99, withGamma)
        const h = 1e-5
        const dv = (scaled(1 + h).var - scaled(1 - h).var) / (2 * h)
        const de = (scaled(1 + h).es - scaled(1 - h).es) / (2 * h)
        expect(r.componentVar[i]).toBeCloseTo(dv, 4)
        expect(r.componentEs[i]).toBeCloseTo(de, 4)
      })
    }
  })
})
