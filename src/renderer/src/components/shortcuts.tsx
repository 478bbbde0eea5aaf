/**
 * Keyboard shortcuts: the shell and each view register theirs (`useShortcuts`, only while the view is on
 * show), one window-level listener runs them, and the help panel (`?`) lists what is registered, so the list
 * can never promise a key that does nothing. Keys are `KeyboardEvent.key` values; a key typed into a field
 * is the field's, except Escape. Keys with Ctrl, Alt or Meta are left to the browser.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'

export interface Shortcut {
  /** `KeyboardEvent.key`, e.g. `r`, `?`, `ArrowLeft`, `Escape`. */
  key: string
  /** What it does, for the help panel. */
  description: string
  run: () => void
}

interface Registry {
  add: (entries: { current: Shortcut[] }) => () => void
  list: () => Shortcut[]
  version: number
}

const ShortcutContext = createContext<Registry | null>(null)

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')

export function ShortcutProvider({ children }: { children: ReactNode }) {
  // Registered lists, newest last (a view's key shadows the shell's of the same name).
  const lists = useRef<Array<{ current: Shortcut[] }>>([])
  const [version, setVersion] = useState(0)
  const add = useCallback((entries: { current: Shortcut[] }) => {
    lists.current = [...lists.current, entries]
    setVersion((v) => v + 1)
    return () => {
      lists.current = lists.current.filter((l) => l !== entries)
      setVersion((v) => v + 1)
    }
  }, [])
  // A new value when the registrations change, so the help panel re-renders; `add` itself stays the same.
  const registry = useMemo<Registry>(() => ({ add, list: () => lists.current.flatMap((l) => l.current), version }), [add, version])
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return
      if (e.key !== 'Escape' && typing(e.target)) return
      for (let i = lists.current.length - 1; i >= 0; i--) {
        const hit = lists.current[i]!.current.find((s) => s.key === e.key)
        if (hit) {
          e.preventDefault()
          hit.run()
          return
        }
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return <ShortcutContext.Provider value={registry}>{children}</ShortcutContext.Provider>
}

/** Registers `shortcuts` while `enabled` (a view: while it is on show). The latest functions are called. */
export function useShortcuts(shortcuts: Shortcut[], enabled = true): void {
  const registry = useContext(ShortcutContext)
  const entries = useRef(shortcuts)
  entries.current = shortcuts
  const keys = shortcuts.map((s) => `${s.key}:${s.description}`).join('|')
  const add = registry?.add
  // Re-registered when the keys or their descriptions change, not on every render.
  useEffect(() => (add && enabled ? add(entries) : undefined), [add, enabled, keys])
}

/** The shortcuts registered now (the help panel's list), newest last. */
export function useRegisteredShortcuts(): Shortcut[] {
  const registry = useContext(ShortcutContext)
  return registry ? registry.list() : []
}

/** A key as the help panel writes it. */
const keyLabel = (k: string) => ({ Escape: 'Esc', ArrowLeft: '←', ArrowRight: '→', ' ': 'Space' })[k] ?? k

/** The help panel: every shortcut in force, the current view's included. Closed with Esc or its button. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const list = useRegisteredShortcuts()
  // One row per key, in the order registered (the shell's first), described by its latest registration.
  const byKey = new Map<string, Shortcut>()
  for (const s of list) byKey.set(s.key, s)
  const shown = [...byKey.values()]
  return (
    <div className="help-backdrop" onClick={onClose}>
      <div className="help-panel" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="shortcut-help" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table className="plain">
          <tbody>
            {shown.map((s) => (
              <tr key={s.key}>
                <td>
                  <kbd>{keyLabel(s.key)}</kbd>
                </td>
                <td>{s.description}</td>
              </tr>
            ))}
            <tr>
              <td>
                <kbd>←</kbd> <kbd>→</kbd> <kbd>Home</kbd> <kbd>End</kbd>
              </td>
              <td>move between tabs (when a tab has focus)</td>
            </tr>
          </tbody>
        </table>
        <p className="muted">Keys typed into a field stay in the field (except Esc).</p>
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </div>
  )
}
