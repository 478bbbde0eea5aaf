/**
 * The what-if books of the current portfolio: pick one, create a new one, rename, duplicate or delete the one
 * picked. A name is typed into one field and the button says what it does with it.
 */
import { useState } from 'react'
import type { WhatIfSummary } from '../../../../shared/whatifApi'
import { plural } from '../../../../shared/format'
import { riskdesk } from '../../platform/api'
import type { useWhatIfWrite } from './useWhatIfWrite'

export function BookBar(props: {
  portfolio: string
  books: WhatIfSummary[]
  selected: string | undefined
  onSelect: (name: string | undefined) => void
  write: ReturnType<typeof useWhatIfWrite>
}) {
  const { portfolio, books, selected, onSelect, write } = props
  const [name, setName] = useState('')
  const [confirmDelete, setConfirmDelete] = useState(false)
  const typed = name.trim()
  const taken = books.some((b) => b.name === typed)

  const create = async () => {
    const r = await write.run(() => riskdesk.createWhatIf({ name: typed, portfolio }))
    if (r) {
      onSelect(r.name)
      setName('')
    }
  }
  const rename = async () => {
    if (!selected) return
    const r = await write.run(() => riskdesk.renameWhatIf({ from: selected, to: typed }))
    if (r) {
      onSelect(r.name)
      setName('')
    }
  }
  const duplicate = async () => {
    if (!selected) return
    const r = await write.run(() => riskdesk.duplicateWhatIf({ from: selected, to: typed }))
    if (r) {
      onSelect(r.name)
      setName('')
    }
  }
  const remove = async () => {
    if (!selected) return
    setConfirmDelete(false)
    const r = await write.run(() => riskdesk.deleteWhatIf({ name: selected }))
    if (r) onSelect(books.find((b) => b.name !== selected)?.name)
  }

  return (
    <form
      className="controls whatif-books"
      onSubmit={(e) => {
        e.preventDefault()
        if (typed && !taken) void create()
      }}
    >
      <label>
        What-if{' '}
        <select value={selected ?? ''} onChange={(e) => onSelect(e.target.value || undefined)} data-testid="whatif-book" disabled={books.length === 0}>
          {books.length === 0 && <option value="">no what-if on {portfolio} yet</option>}
          {books.map((b) => (
            <option key={b.name} value={b.name}>
              {b.name} ({plural(b.legs, 'leg')})
            </option>
          ))}
        </select>
      </label>
      <label>
        Name <input value={name} onChange={(e) => setName(e.target.value)} size={18} maxLength={100} placeholder="new what-if name" data-testid="whatif-name" aria-invalid={taken} />
      </label>
      <button type="submit" disabled={!typed || taken || write.busy} data-testid="whatif-create" title="A new, empty what-if on this portfolio">
        New
      </button>
      <button type="button" disabled={!selected || !typed || taken || write.busy} onClick={() => void rename()} data-testid="whatif-rename" title="Give the picked what-if the typed name">
        Rename
      </button>
      <button type="button" disabled={!selected || !typed || taken || write.busy} onClick={() => void duplicate()} data-testid="whatif-duplicate" title="Copy the picked what-if and its legs under the typed name">
        Duplicate
      </button>
      {confirmDelete ? (
        <span className="confirm">
          Delete “{selected}” and its legs?{' '}
          <button type="button" onClick={() => void remove()} data-testid="whatif-delete-yes">
            Delete
          </button>{' '}
          <button type="button" onClick={() => setConfirmDelete(false)}>
            Keep
          </button>
        </span>
      ) : (
        <button type="button" disabled={!selected || write.busy} onClick={() => setConfirmDelete(true)} data-testid="whatif-delete">
          Delete…
        </button>
      )}
      {taken && <span className="field-error">a what-if named “{typed}” exists</span>}
      <span className="muted">Legs are hypothetical: the imported positions are never changed.</span>
    </form>
  )
}
