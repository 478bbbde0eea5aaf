/**
 * The app's views, in tab order. A feature adds itself here with one line; each view receives the selected
 * portfolio and valuation as-of. Views read the API through the data layer (data/useApi.ts), which also
 * carries what changed (an import invalidates the book's answers); they learn whether they are on show from
 * `useViewActive` (data/viewActivity.ts).
 *
 * Each view is its own chunk, loaded when its tab is first shown (React.lazy; the shell wraps the view in
 * Suspense), so the app starts without the code of the views it does not show. Hovering or focusing a tab
 * starts loading its chunk (`preload`). Once shown, a view stays mounted (hidden behind other tabs), so
 * switching tabs neither refetches nor loses its state.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react'

export interface ViewProps {
  /** Selected portfolio name; undefined when there is none yet. */
  portfolio: string | undefined
  /** The valuation as-of chosen in the header (valuationAsOf.ts); undefined = the book's own time. */
  asOf: string | undefined
  /** Selects a portfolio in the header's picker (after an import into it, a rename); undefined = the latest. */
  selectPortfolio: (name: string | undefined) => void
}

export interface ViewEntry {
  id: string
  title: string
  component: LazyExoticComponent<ComponentType<ViewProps>>
  /** Starts loading the view's chunk; the promise settles when it is loaded. */
  preload: () => Promise<unknown>
}

/** A view loaded on demand from a module that exports it under `name`. */
function onDemand<K extends string>(
  id: string,
  title: string,
  load: () => Promise<Record<K, ComponentType<ViewProps>>>,
  name: K,
): ViewEntry {
  let loading: Promise<{ default: ComponentType<ViewProps> }> | null = null
  const preload = () =>
    (loading ??= load().then(
      (m) => ({ default: m[name] }),
      (e: unknown) => {
        loading = null // a later attempt loads it again
        throw e
      },
    ))
  return { id, title, component: lazy(preload), preload }
}

export const VIEWS: ViewEntry[] = [
  onDemand('overview', 'Overview', () => import('./features/overview/OverviewView'), 'OverviewView'),
  onDemand('stress', 'Stress', () => import('./features/stress/StressView'), 'StressView'),
  onDemand('margin', 'Margin', () => import('./features/margin/MarginView'), 'MarginView'),
  onDemand('var', 'VaR', () => import('./features/var/VarView'), 'VarView'),
  onDemand('import', 'Import', () => import('./features/import/ImportView'), 'ImportView'),
  onDemand('portfolios', 'Portfolios', () => import('./features/portfolios/PortfoliosView'), 'PortfoliosView'),
  onDemand('surface', 'Vol surface', () => import('./features/surface/VolSurfaceView'), 'VolSurfaceView'),
  onDemand('whatif', 'What-if', () => import('./features/whatif/WhatIfView'), 'WhatIfView'),
]
