/**
 * Light and dark theme. The choice (`system`, `light`, `dark`) is kept in localStorage; `system` follows the
 * operating system's `prefers-color-scheme` as it changes. The theme in force is written on <html> as
 * `data-theme` (styles.css's colour variables), `data-ag-theme-mode` (ag-grid's colour scheme, components/
 * grid.ts) and `color-scheme` (form controls, scrollbars); Plotly charts read it through `useTheme`
 * (components/PlotlyChart.tsx).
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'

export type Theme = 'light' | 'dark'
export type ThemeChoice = 'system' | Theme

/** localStorage key of the user's choice. */
export const THEME_STORAGE_KEY = 'riskdesk.theme'

const DARK_QUERY = '(prefers-color-scheme: dark)'

function storedChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_STORAGE_KEY)
    return v === 'light' || v === 'dark' ? v : 'system'
  } catch {
    return 'system' // storage refused (a locked-down profile): follow the system
  }
}

interface ThemeState {
  theme: Theme
  choice: ThemeChoice
  setChoice: (c: ThemeChoice) => void
}

const ThemeContext = createContext<ThemeState>({ theme: 'light', choice: 'system', setChoice: () => undefined })

export function ThemeProvider({ children }: { children: ReactNode }) {
  const [choice, setChoiceState] = useState<ThemeChoice>(storedChoice)
  const [systemDark, setSystemDark] = useState(() => window.matchMedia(DARK_QUERY).matches)
  useEffect(() => {
    const media = window.matchMedia(DARK_QUERY)
    const onChange = () => setSystemDark(media.matches)
    media.addEventListener('change', onChange)
    return () => media.removeEventListener('change', onChange)
  }, [])
  const theme: Theme = choice === 'system' ? (systemDark ? 'dark' : 'light') : choice
  useEffect(() => {
    const root = document.documentElement
    root.dataset.theme = theme
    root.dataset.agThemeMode = theme
    root.style.colorScheme = theme
  }, [theme])
  const setChoice = (c: ThemeChoice) => {
    setChoiceState(c)
    try {
      if (c === 'system') localStorage.removeItem(THEME_STORAGE_KEY)
      else localStorage.setItem(THEME_STORAGE_KEY, c)
    } catch {
      // not persisted; the choice holds for this session
    }
  }
  return <ThemeContext.Provider value={{ theme, choice, setChoice }}>{children}</ThemeContext.Provider>
}

/** The theme in force and the user's choice. */
export const useTheme = () => useContext(ThemeContext)

/** The header's theme picker. */
export function ThemePicker() {
  const { choice, setChoice } = useTheme()
  return (
    <label title="Colours of the app: follow the system setting, or always light or dark">
      Theme{' '}
      <select value={choice} onChange={(e) => setChoice(e.target.value as ThemeChoice)} data-testid="theme-picker">
        <option value="system">system</option>
        <option value="light">light</option>
        <option value="dark">dark</option>
      </select>
    </label>
  )
}
