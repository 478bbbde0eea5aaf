/** VaR and ES of the same book, level, horizon and window by each method, side by side (cached API reads). */
import { fmt } from '../../../../shared/format'
import { VAR_METHOD_LABELS, VAR_METHODS, type VarRequest } from '../../../../shared/varApi'
import { useApiQuery } from '../../data/useApi'

function Row({ request }: { request: VarRequest }) {
  const q = useApiQuery('runVar', request, { keepPrevious: true })
  const r = q.data
  return (
    <tr>
      <td>
        {VAR_METHOD_LABELS[request.method!]}
        {r?.model ? <span className="muted"> ({r.model})</span> : null}
      </td>
      <td>{q.error ? <span className="error">{q.error.message}</span> : r ? fmt(r.var) : '…'}</td>
      <td>{r ? fmt(r.es) : ''}</td>
      <td>{r ? (r.scenarios > 0 ? fmt(r.scenarios) : 'closed form') : ''}</td>
    </tr>
  )
}

export function MethodComparison({ base }: { base: VarRequest }) {
  return (
    <table className="plain" data-testid="var-methods">
      <thead>
        <tr>
          <th>Method</th>
          <th>VaR USD</th>
          <th>ES USD</th>
          <th>Scenarios</th>
        </tr>
      </thead>
      <tbody>
        {VAR_METHODS.map((m) => (
          <Row key={m} request={{ ...base, method: m }} />
        ))}
      </tbody>
    </table>
  )
}
