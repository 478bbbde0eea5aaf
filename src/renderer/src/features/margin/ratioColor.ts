/**
 * Colour of a margin ratio ((MM + fee) ÷ equity): green when far from liquidation, through amber, to red at
 * 100 % (liquidated); dark red for an infinite ratio (equity ≤ 0, a shortfall).
 */
import { fmt } from '../../../../shared/format'

export function ratioColor(ratio: number | null, liquidated: boolean | null): string {
  if (ratio === null) return liquidated ? 'rgb(120, 10, 10)' : 'transparent'
  if (ratio >= 1) return 'rgb(220, 40, 40)'
  // 0 → green (40,170,90), 0.5 → amber (245,190,60), 1 → red (220,40,40)
  const lerp = (a: number, b: number, t: number) => Math.round(a + (b - a) * t)
  if (ratio <= 0.5) {
    const t = ratio / 0.5
    return `rgb(${lerp(40, 245, t)}, ${lerp(170, 190, t)}, ${lerp(90, 60, t)})`
  }
  const t = (ratio - 0.5) / 0.5
  return `rgb(${lerp(245, 220, t)}, ${lerp(190, 40, t)}, ${lerp(60, 40, t)})`
}

/** Text colour readable on `ratioColor`. */
export function ratioTextColor(ratio: number | null, liquidated: boolean | null): string {
  return (ratio === null && liquidated) || (ratio !== null && ratio >= 0.85) ? '#fff' : '#1d2330'
}

/** A margin ratio for display: `55.5 %`, `∞` when equity ≤ 0, `—` when unknown. */
export function ratioText(ratio: number | null, liquidated: boolean | null): string {
  if (ratio === null) return liquidated ? '∞' : '—'
  return `${fmt(ratio * 100, 1)} %`
}
