/**
 * Adds a leg, keyboard first: type in the instrument field (the list of the snapshot's instruments narrows as
 * you type; ↑/↓ move, Enter picks and goes to the quantity), type the quantity (signed: negative sells),
 * Enter adds it through addWhatIfLeg and brings you back to the instrument. Account and entry price are
 * optional: one account at the venue is taken by itself, and the price defaults to the mark ± half the spread.
 * A name not in the list is still sent: the service says whether the market data knows it. Ticked "custom option",
 * the name is an option the venue does not list, priced off the fitted vol surface (labelled so in the grid).
 */
import { useId, useMemo, useState, type KeyboardEvent, type RefObject } from 'react'
import { riskdesk } from '../../platform/api'
import { narrowChoices, type InstrumentChoice } from './instrumentChoices'
import type { useWhatIfWrite } from './useWhatIfWrite'

const DECIMAL = /^-?\d+(\.\d+)?$/

export function LegEditor(props: {
  whatIf: string
  choices: InstrumentChoice[]
  /** `venue/account` of the portfolio's margin accounts. */
  accounts: string[]
  write: ReturnType<typeof useWhatIfWrite>
  searchRef: RefObject<HTMLInputElement | null>
}) {
  const { whatIf, choices, accounts, write, searchRef } = props
  const [text, setText] = useState('')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const [picked, setPicked] = useState<InstrumentChoice | null>(null)
  const [quantity, setQuantity] = useState('')
  const [price, setPrice] = useState('')
  const [account, setAccount] = useState('')
  // A custom option: an option the venue does not list, priced off the fitted vol surface (its name is sent as
  // `custom`); the service refuses a listed or expired one, or one no surface can price.
  const [custom, setCustom] = useState(false)
  const listId = useId()
  const quantityId = useId()
  const shown = useMemo(() => narrowChoices(choices, text), [choices, text])

  const venue = custom ? undefined : picked?.venue || undefined
  const venueAccounts = accounts.filter((a) => venue === undefined || a.startsWith(`${venue}/`))
  const quantityProblem = quantity.trim() === '' ? null : !DECIMAL.test(quantity.trim()) || Number(quantity) === 0 ? 'a signed decimal other than 0, e.g. 5 or -2.5' : null
  const priceProblem = price.trim() === '' || DECIMAL.test(price.trim()) ? null : 'a decimal price, or empty for the mark ± half the spread'
  // Several accounts at the venue: the user says which (never a guess); the choice stays for the next leg.
  const accountProblem = (picked?.venue || custom) && !account && venueAccounts.length > 1 ? `choose the account (${venueAccounts.join(', ')})` : null
  const problem = quantityProblem ?? priceProblem ?? (quantity.trim() !== '' ? accountProblem : null)

  const pick = (c: InstrumentChoice) => {
    setPicked(c)
    setText(c.name)
    setOpen(false)
    if (!venueAccountsOf(c.venue).includes(account)) setAccount('')
    document.getElementById(quantityId)?.focus()
  }
  const venueAccountsOf = (v: string) => accounts.filter((a) => a.startsWith(`${v}/`))

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      setOpen(true)
      setActive((i) => (shown.length === 0 ? 0 : (i + (e.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length))
    } else if (e.key === 'Enter') {
      e.preventDefault()
      const exact = shown.find((c) => c.name.toUpperCase() === text.trim().toUpperCase())
      const c = open ? (shown[active] ?? exact) : (exact ?? shown[active])
      if (c) pick(c)
      else if (text.trim() !== '') {
        // Not in the list: sent as typed, the service answers whether it knows it.
        setPicked({ venue: '', name: text.trim().toUpperCase(), detail: 'not in the list' })
        setOpen(false)
        document.getElementById(quantityId)?.focus()
      }
    } else if (e.key === 'Escape') {
      setOpen(false)
    }
  }

  const add = async () => {
    const name = picked?.name ?? text.trim()
    if (!name || quantity.trim() === '' || quantityProblem || priceProblem || accountProblem) return
    const acct = account || (venueAccounts.length === 1 ? venueAccounts[0] : '')
    const r = await write.run(() =>
      riskdesk.addWhatIfLeg({
        whatIf,
        ...(custom ? { custom: { name } } : { instrument: name }),
        venue: custom ? (acct ? acct.slice(0, acct.indexOf('/')) : undefined) : picked?.venue || undefined,
        quantity: quantity.trim(),
        price: price.trim() === '' ? undefined : price.trim(),
        account: acct ? acct.slice(acct.indexOf('/') + 1) : undefined,
      }),
    )
    if (r) {
      setText('')
      setPicked(null)
      setQuantity('')
      setPrice('')
      searchRef.current?.focus()
    }
  }

  return (
    <form
      className="controls leg-editor"
      onSubmit={(e) => {
        e.preventDefault()
        void add()
      }}
      data-testid="leg-editor"
    >
      <div className="combo">
        <label>
          Instrument{' '}
          <input
            ref={searchRef}
            role="combobox"
            aria-expanded={open && shown.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={open && shown[active] ? `${listId}-${active}` : undefined}
            value={text}
            size={26}
            placeholder="type BTC-26JUN20-9000-C (/ to focus)"
            onChange={(e) => {
              setText(e.target.value)
              setPicked(null)
              setOpen(true)
              setActive(0)
            }}
            onFocus={() => setOpen(true)}
            onBlur={() => setTimeout(() => setOpen(false), 150)}
            onKeyDown={onSearchKey}
            data-testid="leg-instrument"
          />
        </label>
        {open && shown.length > 0 && (
          <ul className="combo-list" role="listbox" id={listId} data-testid="leg-choices">
            {shown.map((c, i) => (
              <li
                key={`${c.venue}/${c.name}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => {
                  e.preventDefault()
                  pick(c)
                }}
              >
                <b>{c.name}</b> <span className="muted">{c.venue} · {c.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <label>
        Quantity{' '}
        <input
          id={quantityId}
          value={quantity}
          size={10}
          inputMode="decimal"
          placeholder="±, e.g. 5"
          onChange={(e) => setQuantity(e.target.value)}
          aria-invalid={quantityProblem !== null}
          data-testid="leg-quantity"
          title="Signed, in the instrument's unit: coin for options and linear contracts, USD face for inverse futures and perpetuals"
        />
      </label>
      <label>
        Account{' '}
        <select value={account} onChange={(e) => setAccount(e.target.value)} data-testid="leg-account">
          <option value="">{venueAccounts.length === 1 ? `${venueAccounts[0]} (the only one)` : 'choose…'}</option>
          {venueAccounts.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label>
        Entry price{' '}
        <input value={price} size={9} placeholder="mark ± ½ spread" onChange={(e) => setPrice(e.target.value)} aria-invalid={priceProblem !== null} data-testid="leg-price" title="In the instrument's price unit (coin for Deribit options); empty = the mark ± half the bid/ask spread" />
      </label>
      <button type="submit" disabled={write.busy || problem !== null || quantity.trim() === '' || (picked?.name ?? text.trim()) === ''} data-testid="leg-add">
        Add leg
      </button>
      <label title="An option the venue does not list (e.g. BTC-26JUN20-9500-C): priced by Black-76 off the vol surface fitted to the book's chain">
        <input type="checkbox" checked={custom} onChange={(e) => setCustom(e.target.checked)} data-testid="leg-custom" /> custom option, off the surface
      </label>
      {picked && !custom && (
        <span className="muted">{picked.venue ? `${picked.venue} · ${picked.detail}` : 'not in the list: sent as typed (tick “custom option” for an unlisted strike or expiry)'}</span>
      )}
      {problem && (
        <span className="field-error" data-testid="leg-problem">
          {problem}
        </span>
      )}
    </form>
  )
}
