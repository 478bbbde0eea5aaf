/** One line saying what a valuation read: valuation time, the snapshots, the one index per underlying, notes. */
import type { ValuationMarket } from '../../../shared/api'
import { fmt, plural } from '../../../shared/format'

const RULE: Record<ValuationMarket['rule'], string> = {
  book: "market as of the book's last import",
  requested: 'market as of the chosen time',
  latest: 'latest stored market',
}

export function MarketLine({ valuationTime, market }: { valuationTime: string | null; market: ValuationMarket }) {
  return (
    <div className="market-line" data-testid="market-line">
      <p className="muted">
        Valued at <b>{valuationTime ?? '—'}</b> ({RULE[market.rule]}, data up to {market.cutoff}) ·{' '}
        {market.snapshots.length === 0
          ? 'no quotes used'
          : market.snapshots.map((s) => `${s.venue} ${s.format} ${s.file} (${plural(s.quotesUsed, 'quote')}${s.scope === 'portfolio' ? ', this portfolio' : ''})`).join('; ')}{' '}
        ·{' '}
        {market.indices.map((i) => (
          <span key={i.underlying} title={i.source}>
            {i.underlying} index {fmt(i.price, 2)} USD{' '}
          </span>
        ))}
      </p>
      {market.notes.map((n) => (
        <p key={n} className="note">
          {n}
        </p>
      ))}
    </div>
  )
}
