/**
 * The app's views, in tab order. A feature adds itself here with one line; each view receives the selected
 * portfolio and a way to tell the shell that data changed (e.g. after an import).
 */
import type { ComponentType } from 'react'
import { ImportView } from './features/import/ImportView'
import { MarginView } from './features/margin/MarginView'
import { OverviewView } from './features/overview/OverviewView'
import { StressView } from './features/stress/StressView'

export interface ViewProps {
  /** Selected portfolio name; undefined when there is none yet. */
  portfolio: string | undefined
  /** Reload the portfolio list (after an import, say) and re-render the views. */
  refresh: () => void
}

export interface ViewEntry {
  id: string
  title: string
  component: ComponentType<ViewProps>
}

export const VIEWS: ViewEntry[] = [
  { id: 'overview', title: 'Overview', component: OverviewView },
  { id: 'stress', title: 'Stress', component: StressView },
  { id: 'margin', title: 'Margin', component: MarginView },
  { id: 'import', title: 'Import', component: ImportView },
]
