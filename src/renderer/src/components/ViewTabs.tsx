/**
 * The tab bar of the views (WAI-ARIA tabs pattern, automatic activation): the selected tab is the one in the
 * page's Tab order; Left/Right move to the previous/next tab (wrapping), Home/End to the first/last, and the
 * tab reached is shown at once.
 */
import { useRef, type KeyboardEvent } from 'react'
import type { ViewEntry } from '../views'

export function ViewTabs({ views, selected, onSelect }: { views: ViewEntry[]; selected: string; onSelect: (id: string) => void }) {
  const refs = useRef(new Map<string, HTMLButtonElement>())
  const onKeyDown = (e: KeyboardEvent) => {
    const i = views.findIndex((v) => v.id === selected)
    const last = views.length - 1
    const next = { ArrowRight: i === last ? 0 : i + 1, ArrowLeft: i === 0 ? last : i - 1, Home: 0, End: last }[e.key]
    if (next === undefined) return
    e.preventDefault()
    const v = views[next]!
    onSelect(v.id)
    refs.current.get(v.id)?.focus()
  }
  return (
    <nav role="tablist" aria-label="Views" onKeyDown={onKeyDown}>
      {views.map((v) => (
        <button
          key={v.id}
          ref={(el) => {
            if (el) refs.current.set(v.id, el)
            else refs.current.delete(v.id)
          }}
          id={`tab-${v.id}`}
          role="tab"
          type="button"
          aria-selected={v.id === selected}
          aria-controls={`view-${v.id}`}
          tabIndex={v.id === selected ? 0 : -1}
          onClick={() => onSelect(v.id)}
          onPointerEnter={() => void v.preload()}
          onFocus={() => void v.preload()}
        >
          {v.title}
        </button>
      ))}
    </nav>
  )
}
