/**
 * Greeks by bucket, before → after with the change: by expiry, by tenor bucket (<7d, 7–30d, 30–90d, >90d: where
 * vega sits) or by strike (the delta/gamma ladder). Rows of either side; a bucket on one side only reads 0 on the
 * other (getWhatIf's rule).
 */
import type { WhatIfBucket, WhatIfReport } from '../../../../shared/whatifApi'
import { fmt } from '../../../../shared/format'

export type BucketBy = WhatIfBucket['by']
const BYS: ReadonlyArray<readonly [BucketBy, string]> = [
  ['expiry', 'By expiry'],
  ['tenor', 'By tenor'],
  ['strike', 'By strike'],
]

const MEASURES = [
  { key: 'delta', label: 'Delta coin', digits: 4 },
  { key: 'gamma', label: 'Gamma coin/USD', digits: 6 },
  { key: 'vegaUsd', label: 'Vega USD/pt', digits: 0 },
  { key: 'thetaUsd', label: 'Theta USD/day', digits: 0 },
] as const

const signed = (x: number, digits: number) => (Number(x.toFixed(digits)) > 0 ? `+${fmt(x, digits)}` : fmt(x, digits))

export function BucketTable({ report, by, onBy }: { report: WhatIfReport; by: BucketBy; onBy: (b: BucketBy) => void }) {
  const pick = (list: WhatIfBucket[]) => list.filter((b) => b.by === by)
  const before = pick(report.before.buckets)
  const after = pick(report.after.buckets)
  const change = pick(report.change.buckets)
  const key = (b: WhatIfBucket) => `${b.underlying}\u0000${b.bucket}`
  // The change list holds every bucket of either side, in the service's order (underlying, then bucket).
  const rows = change.length > 0 ? change : after
  const find = (list: WhatIfBucket[], k: string) => list.find((b) => key(b) === k)
  return (
    <div data-testid="whatif-buckets">
      <div className="segmented" role="group" aria-label="Buckets by">
        {BYS.map(([id, label]) => (
          <button key={id} type="button" aria-pressed={by === id} onClick={() => onBy(id)} data-testid={`buckets-${id}`}>
            {label}
          </button>
        ))}
      </div>
      <table className="plain bucket-table">
        <thead>
          <tr>
            <th rowSpan={2}>Underlying</th>
            <th rowSpan={2}>{by === 'strike' ? 'Strike USD' : by === 'tenor' ? 'Tenor' : 'Expiry'}</th>
            {MEASURES.map((m) => (
              <th key={m.key} colSpan={3}>
                {m.label}
              </th>
            ))}
          </tr>
          <tr>
            {MEASURES.map((m) => [
              <th key={`${m.key}b`}>before</th>,
              <th key={`${m.key}a`}>after</th>,
              <th key={`${m.key}c`}>change</th>,
            ])}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const k = key(r)
            const b = find(before, k)
            const a = find(after, k)
            const c = find(change, k)
            return (
              <tr key={k}>
                <td>{r.underlying}</td>
                <td>{r.bucket}</td>
                {MEASURES.map((m) => [
                  <td key={`${m.key}b`}>{fmt(b?.[m.key] ?? 0, m.digits)}</td>,
                  <td key={`${m.key}a`}>{fmt(a?.[m.key] ?? 0, m.digits)}</td>,
                  <td key={`${m.key}c`} className={c && Number(c[m.key].toFixed(m.digits)) !== 0 ? 'changed' : undefined}>
                    {signed(c?.[m.key] ?? 0, m.digits)}
                  </td>,
                ])}
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
