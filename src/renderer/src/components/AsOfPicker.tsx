/**
 * The valuation-time picker: which stored market data every view values the portfolio against (valuationAsOf.ts):
 * the book's own time (default), the latest stored data, or one stored snapshot's instant.
 */
import { useApiQuery } from '../data/useApi'

const BOOK = ''
const LATEST = 'latest'

export function AsOfPicker({ portfolio, value, onChange }: { portfolio: string | undefined; value: string | undefined; onChange: (asOf: string | undefined) => void }) {
  const snapshots = useApiQuery('listMarketSnapshots', portfolio ? { portfolio } : undefined).data ?? []
  const instants = [...new Map(snapshots.map((s) => [s.asOf, s])).values()]
  return (
    <label title="Which stored market data the book is valued against">
      Market{' '}
      <select value={value ?? BOOK} onChange={(e) => onChange(e.target.value === BOOK ? undefined : e.target.value)} data-testid="asof-picker">
        <option value={BOOK}>as of the book's last import</option>
        <option value={LATEST}>latest stored</option>
        {instants.map((s) => (
          <option key={s.id} value={s.asOf}>
            {s.asOf.replace('T', ' ').slice(0, 16)} UTC · {s.venue} {s.format} ({s.file})
          </option>
        ))}
      </select>
    </label>
  )
}
