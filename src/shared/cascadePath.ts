/**
 * The syntax of a liquidation-cascade path (marginApi.ts `cascadeRequest.path`), read in one place: the
 * request schema refuses what does not read (so every host answers it as invalid input), the Margin view shows
 * the same message beside its Path field, and the cascade service resolves what it returns into prices.
 *
 *  - `crash:MOVE%[:STEPS]`: a fall (or rise) of MOVE % over STEPS steps (1…10,000; default: the request's);
 *  - `gap:MOVE%`: one jump with no trading in between;
 *  - `historical:NAME[:STEPS]`: a historical episode by name or date prefix (whether it exists is the
 *    service's to say: episodes live in the domain);
 *  - `history:FROM:TO`: stored daily closes between two dates YYYY-MM-DD, FROM before TO.
 * MOVE must be above −100 %.
 */
export type CascadePathSpec =
  | { kind: 'crash'; /** relative move, −0.4 = −40 % */ move: number; /** the move as written, percent */ moveText: string; steps: number | null }
  | { kind: 'gap'; move: number; moveText: string }
  | { kind: 'historical'; name: string; steps: number | null }
  | { kind: 'history'; from: string; to: string }

const DATE = /^\d{4}-\d{2}-\d{2}$/
/** A YYYY-MM-DD that names a day of the calendar: Date.UTC rolls 2020-02-30 over to March, so the round trip refuses it. */
const isRealDate = (d: string | undefined): d is string => {
  if (d === undefined || !DATE.test(d)) return false
  const ms = Date.parse(`${d}T00:00:00Z`)
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === d
}
const MOVE = /^(-?\d+(?:\.\d+)?)%$/
const MAX_STEPS = 10_000

/** Reads a path specification. @returns the path, or the reason it does not read (quoting the text). */
export function parseCascadePath(spec: string): { ok: true; path: CascadePathSpec } | { ok: false; message: string } {
  const fail = (what: string) => ({ ok: false as const, message: `path "${spec}": ${what}` })
  const [kind, ...rest] = spec.trim().split(':')
  if (kind === 'crash') {
    const [move, stepText] = rest
    const m = MOVE.exec(move ?? '')
    const n = stepText === undefined ? null : /^\d+$/.test(stepText) ? Number(stepText) : NaN
    if (!m || rest.length > 2 || (n !== null && !(n >= 1 && n <= MAX_STEPS)))
      return fail('expected crash:MOVE%[:STEPS] such as crash:-40% or crash:-40%:20 (steps 1…10,000)')
    const total = Number(m[1]) / 100
    if (!(total > -1)) return fail('the move must be above −100%')
    return { ok: true, path: { kind: 'crash', move: total, moveText: m[1]!, steps: n } }
  }
  if (kind === 'gap') {
    const m = MOVE.exec(rest[0] ?? '')
    if (!m || rest.length !== 1) return fail('expected gap:MOVE% such as gap:-20%')
    const total = Number(m[1]) / 100
    if (!(total > -1)) return fail('the move must be above −100%')
    return { ok: true, path: { kind: 'gap', move: total, moveText: m[1]! } }
  }
  if (kind === 'historical') {
    const last = rest.at(-1)
    const named = rest.length > 1 && /^\d+$/.test(last!)
    const name = (named ? rest.slice(0, -1) : rest).join(':').trim()
    const n = named ? Number(last) : null
    if (name === '') return fail('expected historical:NAME[:STEPS] such as historical:2020-03-12')
    if (n !== null && !(n >= 1 && n <= MAX_STEPS)) return fail('steps must be 1…10,000')
    return { ok: true, path: { kind: 'historical', name, steps: n } }
  }
  if (kind === 'history') {
    const [from, to] = rest
    if (rest.length !== 2 || !isRealDate(from) || !isRealDate(to) || from >= to) return fail('expected history:FROM:TO with real dates YYYY-MM-DD, FROM before TO')
    return { ok: true, path: { kind: 'history', from, to } }
  }
  return fail('expected crash:MOVE%[:STEPS], gap:MOVE%, historical:NAME[:STEPS] or history:FROM:TO')
}
