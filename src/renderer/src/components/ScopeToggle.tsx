import { plural } from '../../../shared/format'

/** Switches a stress figure between the whole book (derivatives + balances) and the derivatives only. */
export type Scope = 'total' | 'derivatives'

export function ScopeToggle({ value, onChange, balances }: { value: Scope; onChange: (s: Scope) => void; balances: number }) {
  return (
    <div className="segmented" role="group" aria-label="What the P&L covers" data-testid="scope-toggle">
      <button type="button" aria-pressed={value === 'total'} onClick={() => onChange('total')}>
        Whole book{balances > 0 ? ` (+ ${plural(balances, 'balance')})` : ''}
      </button>
      <button type="button" aria-pressed={value === 'derivatives'} onClick={() => onChange('derivatives')}>
        Derivatives only
      </button>
    </div>
  )
}
