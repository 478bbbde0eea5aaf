/**
 * The leg editor's instrument list, pure: the options of the book's market snapshot (the vol surface report's
 * quotes, fitted or not) and the instruments the book already holds (its futures, perpetuals, spot), one entry
 * per venue and name, and the narrowing of that list as the user types.
 */
import type { PositionsReport } from '../../../../shared/api'
import type { VolSurfaceReport } from '../../../../shared/surfaceApi'

export interface InstrumentChoice {
  venue: string
  /** The venue's instrument name, what addWhatIfLeg takes. */
  name: string
  /** e.g. `option · mark IV 83.6 %`, `future · held`. */
  detail: string
}

/** Options of the surface's snapshot and the book's own instruments (balances left out), sorted by name. */
export function instrumentChoices(surface: VolSurfaceReport | undefined, positions: PositionsReport | undefined): InstrumentChoice[] {
  const byKey = new Map<string, InstrumentChoice>()
  const add = (c: InstrumentChoice) => {
    const key = `${c.venue}\u0000${c.name}`
    if (!byKey.has(key)) byKey.set(key, c)
  }
  for (const p of positions?.positions ?? []) {
    if (p.origin !== 'position') continue
    add({ venue: p.venue, name: p.instrument, detail: `${p.kind} · held` })
  }
  if (surface)
    for (const u of surface.underlyings) {
      for (const e of u.expiries) for (const q of e.points) add({ venue: surface.venue, name: q.instrument, detail: `option · mark IV ${q.markIv.toFixed(1)} %` })
      for (const x of u.excluded) add({ venue: surface.venue, name: x.instrument, detail: `option · not in the fit (${x.reason})` })
    }
  return [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name) || a.venue.localeCompare(b.venue))
}

/**
 * The choices matching `text`: every space-separated word of it found in the name (case-insensitive); an exact
 * name first, then names starting with the text, then the rest in list order. At most `limit`.
 */
export function narrowChoices(choices: readonly InstrumentChoice[], text: string, limit = 12): InstrumentChoice[] {
  const t = text.trim().toUpperCase()
  if (t === '') return choices.slice(0, limit)
  const words = t.split(/\s+/)
  const rank = (c: InstrumentChoice) => {
    const n = c.name.toUpperCase()
    return n === t ? 0 : n.startsWith(t) ? 1 : 2
  }
  return choices
    .filter((c) => words.every((w) => c.name.toUpperCase().includes(w)))
    .map((c, i) => ({ c, i, r: rank(c) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .slice(0, limit)
    .map((x) => x.c)
}
