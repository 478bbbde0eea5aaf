import type { ReactNode } from 'react'

/** The head of a what-if comparison table: the row label's column (what the rows are), then before, after, change. */
export function BeforeAfterHead({ label }: { label: ReactNode }) {
  return (
    <thead>
      <tr>
        <th>{label}</th>
        <th>Before</th>
        <th>After</th>
        <th>Change</th>
      </tr>
    </thead>
  )
}
