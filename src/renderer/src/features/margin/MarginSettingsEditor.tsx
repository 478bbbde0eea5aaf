/**
 * Margin settings of one margin account, edited in the view (the same settings as `riskdesk margin-settings`):
 * the rule (venue default or an override such as Deribit portfolio margin), the account's leverage, and per
 * position a leverage and an isolated margin (set = isolated). Fields left empty are not set; settings the
 * form does not show (fees, cross-collateral) are kept as stored. The main side validates and stores them.
 */
import { useEffect, useState } from 'react'
import { MARGIN_RULES, type MarginAccountSettings, type MarginSettingsEntry } from '../../../../shared/marginApi'
import { useApiQuery, useInvalidate } from '../../data/useApi'
import { riskdesk } from '../../platform/api'

interface Draft {
  rule: string
  leverage: string
  positions: Record<string, { leverage: string; isolatedMargin: string }>
}

function draftOf(e: MarginSettingsEntry): Draft {
  const s = e.settings
  return {
    rule: s.rule ?? '',
    leverage: s.leverage === undefined ? '' : String(s.leverage),
    positions: Object.fromEntries(
      e.positionIds.map((id) => [id, { leverage: s.positions[id]?.leverage === undefined ? '' : String(s.positions[id]!.leverage), isolatedMargin: s.positions[id]?.isolatedMargin ?? '' }]),
    ),
  }
}

/** The draft as settings; the stored fields the form does not edit are carried over. Number checks are the main side's (zod). */
function settingsOf(d: Draft, stored: MarginAccountSettings): MarginAccountSettings {
  const { rule: _rule, leverage: _leverage, positions: _positions, ...kept } = stored
  const out: MarginAccountSettings = { ...kept, positions: {} }
  if (d.rule !== '') out.rule = d.rule as MarginAccountSettings['rule']
  if (d.leverage.trim() !== '') out.leverage = Number(d.leverage)
  for (const [id, p] of Object.entries(d.positions)) {
    const entry: MarginAccountSettings['positions'][string] = {}
    if (p.leverage.trim() !== '') entry.leverage = Number(p.leverage)
    if (p.isolatedMargin.trim() !== '') entry.isolatedMargin = p.isolatedMargin.trim()
    if (Object.keys(entry).length > 0) out.positions[id] = entry
  }
  return out
}

/** The editor; a save makes the portfolio's margin figures stale, so the view shows them recomputed (data/apiQueries.ts). */
export function MarginSettingsEditor({ portfolio }: { portfolio: string }) {
  const settings = useApiQuery('listMarginSettings', { portfolio })
  const entries = settings.data?.accounts
  const [key, setKey] = useState('')
  const [draft, setDraft] = useState<Draft | null>(null)
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  const invalidate = useInvalidate()

  // The stored settings came (or changed, after a save or an import): the draft starts from them again,
  // on the account chosen before when it is still there.
  useEffect(() => {
    if (!entries) return
    const chosen = entries.find((a) => a.key === key) ?? entries[0]
    setKey(chosen?.key ?? '')
    setDraft(chosen ? draftOf(chosen) : null)
  }, [entries])
  useEffect(() => {
    if (settings.error) setMessage({ text: settings.error.message, error: true })
  }, [settings.error])

  const entry = entries?.find((a) => a.key === key)
  if (!entry || !draft) return null
  const save = async () => {
    setMessage(null)
    try {
      await riskdesk.saveMarginSettings({ portfolio, venue: entry.venue, account: entry.account, marginCurrency: entry.marginCurrency, settings: settingsOf(draft, entry.settings) })
      void invalidate.afterMarginSettings(portfolio)
      setMessage({ text: `saved ${entry.key}`, error: false })
    } catch (e) {
      setMessage({ text: (e as Error).message, error: true })
    }
  }
  const setPosition = (id: string, field: 'leverage' | 'isolatedMargin', value: string) =>
    setDraft({ ...draft, positions: { ...draft.positions, [id]: { ...draft.positions[id]!, [field]: value } } })

  return (
    <details className="margin-settings" data-testid="margin-settings">
      <summary>Account settings (rule, leverage, isolated margin)</summary>
      <form
        className="controls"
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        <label>
          Account{' '}
          <select
            value={key}
            onChange={(e) => {
              const next = entries!.find((a) => a.key === e.target.value)!
              setKey(next.key)
              setDraft(draftOf(next))
            }}
            data-testid="margin-settings-account"
          >
            {entries!.map((a) => (
              <option key={a.key} value={a.key}>
                {a.key}
              </option>
            ))}
          </select>
        </label>
        <label>
          Rule{' '}
          <select value={draft.rule} onChange={(e) => setDraft({ ...draft, rule: e.target.value })} data-testid="margin-settings-rule">
            <option value="">venue default{entry.defaultRule ? ` (${entry.defaultRule})` : ''}</option>
            {MARGIN_RULES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Leverage{' '}
          <input value={draft.leverage} onChange={(e) => setDraft({ ...draft, leverage: e.target.value })} size={5} placeholder="—" data-testid="margin-settings-leverage" />×
        </label>
        <button type="submit" data-testid="margin-settings-save">
          Save
        </button>
        {message && <span className={message.error ? 'error' : 'muted'}>{message.text}</span>}
      </form>
      <table className="plain">
        <thead>
          <tr>
            <th>position</th>
            <th>leverage ×</th>
            <th>isolated margin {entry.marginCurrency} (empty = cross)</th>
          </tr>
        </thead>
        <tbody>
          {entry.positionIds.map((id) => (
            <tr key={id}>
              <td>{id}</td>
              <td>
                <input value={draft.positions[id]!.leverage} onChange={(e) => setPosition(id, 'leverage', e.target.value)} size={5} placeholder="account's" />
              </td>
              <td>
                <input value={draft.positions[id]!.isolatedMargin} onChange={(e) => setPosition(id, 'isolatedMargin', e.target.value)} size={10} placeholder="cross" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  )
}
