/**
 * Create, edit and delete saved scenarios: one scenario per saved set (the CLI saves multi-scenario sets
 * from JSON). Fields follow the scenario model (src/shared/scenario.ts). Editing a loaded scenario keeps what
 * the form does not show (source, weight, gap, at-expiry, the oracle's move time, gap and venues), and saving a
 * loaded set under its own name keeps its other scenarios: nothing stored is dropped by an edit.
 */
import { useState } from 'react'
import type { ScenarioInput } from '../../../../shared/scenario'
import { useApiFetch, useInvalidate, useScenarioSets } from '../../data/useApi'
import { riskdesk } from '../../platform/api'

interface Form {
  name: string
  description: string
  driver: string
  shockPct: string
  others: string
  volSize: string
  volMode: 'absolute' | 'relative'
  termScaled: boolean
  volFloor: string
  volRule: 'sticky-strike' | 'sticky-moneyness'
  timeShiftDays: string
  basisPct: string
  fundingPct8h: string
  spreadWidening: string
  /** Seconds the oracle of oracle-marked venues is behind; empty = no lag. */
  oracleLag: string
  /** "USDC:0.97, USDT:0.9": USD per coin. */
  stablecoins: string
}

/** A saved set as loaded into the editor: the form shows its first scenario. */
interface Loaded {
  name: string
  scenarios: ScenarioInput[]
}

const EMPTY: Form = {
  name: '',
  description: '',
  driver: 'BTC',
  shockPct: '-30',
  others: '',
  volSize: '20',
  volMode: 'absolute',
  termScaled: false,
  volFloor: '1',
  volRule: 'sticky-strike',
  timeShiftDays: '0',
  basisPct: '0',
  fundingPct8h: '',
  spreadWidening: '1',
  oracleLag: '',
  stablecoins: '',
}

/** "ETH:-35, SOL:-45" → { ETH: −35, SOL: −45 }: a number per coin (the caller scales it). */
function parsePairs(text: string, scale: number): Record<string, number> {
  return Object.fromEntries(
    text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        const [u, v] = p.split(':')
        return [u!.trim().toUpperCase(), Number(v) * scale]
      }),
  )
}

const pairsText = (r: Record<string, number> | undefined, scale: number) =>
  Object.entries(r ?? {})
    .map(([u, v]) => `${u}:${v * scale}`)
    .join(', ')

/** The form as a scenario, on top of the loaded scenario `base` (its fields the form does not show are kept). */
function toScenario(f: Form, base: ScenarioInput | undefined): ScenarioInput {
  return {
    ...base,
    name: f.name.trim(),
    description: f.description,
    spot: { driver: f.driver.trim().toUpperCase(), shock: Number(f.shockPct) / 100, byUnderlying: parsePairs(f.others, 1 / 100) },
    vol: {
      ...base?.vol,
      size: Number(f.volSize) / (f.volMode === 'relative' ? 100 : 1),
      mode: f.volMode,
      termScaling: f.termScaled ? { refDays: 30, powerShort: 0.3, powerLong: 0.13, splitDays: 30 } : null,
      floor: Number(f.volFloor),
      rule: f.volRule,
    },
    timeShiftDays: Number(f.timeShiftDays),
    basisShock: Number(f.basisPct) / 100,
    fundingRate8h: f.fundingPct8h.trim() === '' ? null : Number(f.fundingPct8h) / 100,
    spreadWidening: Number(f.spreadWidening),
    oracle: f.oracleLag.trim() === '' ? null : { ...base?.oracle, lagSeconds: Number(f.oracleLag) },
    stablecoins: parsePairs(f.stablecoins, 1),
  }
}

function fromScenario(s: ScenarioInput & { name: string }): Form {
  const relative = s.vol?.mode === 'relative'
  return {
    name: s.name,
    description: s.description ?? '',
    driver: s.spot?.driver ?? 'BTC',
    shockPct: String((s.spot?.shock ?? 0) * 100),
    others: pairsText(s.spot?.byUnderlying, 100),
    volSize: String((s.vol?.size ?? 0) * (relative ? 100 : 1)),
    volMode: relative ? 'relative' : 'absolute',
    termScaled: Boolean(s.vol?.termScaling),
    volFloor: String(s.vol?.floor ?? 1),
    volRule: s.vol?.rule ?? 'sticky-strike',
    timeShiftDays: String(s.timeShiftDays ?? 0),
    basisPct: String((s.basisShock ?? 0) * 100),
    fundingPct8h: s.fundingRate8h == null ? '' : String(s.fundingRate8h * 100),
    spreadWidening: String(s.spreadWidening ?? 1),
    oracleLag: s.oracle == null ? '' : String(s.oracle.lagSeconds),
    stablecoins: pairsText(s.stablecoins, 1),
  }
}

/** The editor; saving or deleting a set refreshes every list of sets and what ran on it (data/apiQueries.ts). */
export function ScenarioEditor() {
  const [form, setForm] = useState<Form>(EMPTY)
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const list = useScenarioSets().data ?? []
  const [message, setMessage] = useState<string | null>(null)
  const invalidate = useInvalidate()
  const fetchApi = useApiFetch()
  const set = <K extends keyof Form>(k: K) => (e: { target: { value: string; checked?: boolean } }) =>
    setForm((f) => ({ ...f, [k]: k === 'termScaled' ? Boolean(e.target.checked) : e.target.value }))

  const save = async () => {
    try {
      const setName = form.name.trim()
      // Saved under the loaded set's name: the edited scenario replaces the first (keeping its own name), the
      // others stay. Under another name: a new set of this one scenario.
      const same = loaded !== null && loaded.name === setName
      const edited = toScenario(form, loaded?.scenarios[0])
      const scenario = same ? { ...edited, name: loaded.scenarios[0]!.name } : edited
      const others = same ? loaded.scenarios.slice(1) : []
      const summary = await riskdesk.saveScenarioSet({ set: { name: setName, description: form.description, scenarios: [scenario, ...others] } })
      setLoaded({ name: summary.name, scenarios: [scenario, ...others] })
      setMessage(others.length > 0 ? `saved "${summary.name}" (its other ${others.length} scenario${others.length === 1 ? '' : 's'} kept)` : `saved "${summary.name}"`)
      void invalidate.afterScenarioSet(summary.name)
    } catch (e) {
      setMessage((e as Error).message)
    }
  }
  const load = async (name: string) => {
    const saved = await fetchApi('getScenarioSet', { name })
    setForm({ ...fromScenario(saved.scenarios[0]!), name })
    setLoaded({ name, scenarios: saved.scenarios })
    setMessage(saved.scenarios.length > 1 ? `"${name}" holds ${saved.scenarios.length} scenarios; the first is shown (saving keeps the others)` : null)
  }
  const remove = async (name: string) => {
    try {
      await riskdesk.deleteScenarioSet({ name })
      void invalidate.afterScenarioSet(name)
    } catch (e) {
      setMessage((e as Error).message)
    }
  }

  return (
    <section className="scenario-editor" data-testid="scenario-editor">
      <h2>Custom scenarios</h2>
      <div className="editor-grid">
        <label>Name <input value={form.name} onChange={set('name')} data-testid="scenario-name" /></label>
        <label>Description <input value={form.description} onChange={set('description')} size={40} /></label>
        <label>Driver <input value={form.driver} onChange={set('driver')} size={5} /></label>
        <label>Driver move % <input value={form.shockPct} onChange={set('shockPct')} size={6} data-testid="scenario-shock" /></label>
        <label>Other moves % <input value={form.others} onChange={set('others')} placeholder="ETH:-35, SOL:-45" /></label>
        <label>
          Vol shock <input value={form.volSize} onChange={set('volSize')} size={5} />{' '}
          <select value={form.volMode} onChange={set('volMode')}>
            <option value="absolute">vol points</option>
            <option value="relative">% of vol</option>
          </select>
        </label>
        <label><input type="checkbox" checked={form.termScaled} onChange={set('termScaled')} /> term-scaled (30/DTE)^p</label>
        <label>Vol floor pts <input value={form.volFloor} onChange={set('volFloor')} size={4} /></label>
        <label>
          Rule{' '}
          <select value={form.volRule} onChange={set('volRule')}>
            <option value="sticky-strike">sticky strike</option>
            <option value="sticky-moneyness">sticky moneyness</option>
          </select>
        </label>
        <label>Days pass <input value={form.timeShiftDays} onChange={set('timeShiftDays')} size={4} /></label>
        <label>Basis %/yr <input value={form.basisPct} onChange={set('basisPct')} size={4} /></label>
        <label>Funding %/8h <input value={form.fundingPct8h} onChange={set('fundingPct8h')} size={5} placeholder="none" /></label>
        <label>Spread × <input value={form.spreadWidening} onChange={set('spreadWidening')} size={4} /></label>
        <label title="oracle-marked venues (Hyperliquid, dYdX) margin on an oracle this many seconds behind the market (docs/margin.md)">
          Oracle lag s <input value={form.oracleLag} onChange={set('oracleLag')} size={4} placeholder="none" data-testid="scenario-oracle-lag" />
        </label>
        <label title="USD per coin under the scenario, e.g. USDC:0.97 (a 3 % de-peg)">
          Stablecoins <input value={form.stablecoins} onChange={set('stablecoins')} size={12} placeholder="USDC:0.97" data-testid="scenario-stablecoins" />
        </label>
      </div>
      <button type="button" onClick={() => void save()} disabled={!form.name.trim()} data-testid="scenario-save">
        Save scenario
      </button>{' '}
      <button
        type="button"
        onClick={() => {
          setForm(EMPTY)
          setLoaded(null)
        }}
      >
        New
      </button>
      {message && <span className="muted"> {message}</span>}
      {list.length > 0 && (
        <ul className="saved-list">
          {list.map((s) => (
            <li key={s.name}>
              <button type="button" className="link" onClick={() => void load(s.name)}>
                {s.name}
              </button>{' '}
              ({s.scenarios}){' '}
              <button type="button" className="link" onClick={() => void remove(s.name)}>
                delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
