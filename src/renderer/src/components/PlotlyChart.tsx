/**
 * The one Plotly chart of the app: every chart (stress surface, horizon curves, price ladder, cascade) gives
 * its traces and layout here, and this component does Plotly's setup, update, resize and teardown once.
 *
 * - Plotly is loaded on first use: its chunk (~1.7 MB minified, see electron.vite.config.ts) is fetched and
 *   evaluated when a chart first draws, so a view shows its figures and grids without waiting for it.
 * - Every Plotly call on a chart's element runs after the previous one has settled (one queue per chart):
 *   `react` draws or updates, a resize refits, and `purge` on unmount runs only once the draw in flight is
 *   done. A purge in the middle of a draw is what logged "Cannot read properties of undefined (reading
 *   '_redrawFromAutoMarginCount')" when a view went away while its charts drew.
 * - Size follows the element (a ResizeObserver), not the window; a hidden chart (a view in the background:
 *   zero size) is left alone until it is shown, then refitted. Plotly's own `responsive` window handler is
 *   off, since it would resize charts of hidden views.
 */
import type Plotly from 'plotly.js-gl3d-dist-min'
import { useEffect, useRef } from 'react'

let loading: Promise<typeof Plotly> | null = null
/** Plotly, loaded on first use (one chunk for the whole app). */
export const loadPlotly = () =>
  (loading ??= import('plotly.js-gl3d-dist-min').then(
    (m) => m.default,
    (e: unknown) => {
      loading = null // a later chart tries again
      throw e
    },
  ))

const BASE_CONFIG: Partial<Plotly.Config> = { displaylogo: false, responsive: false }

export interface PlotlyChartProps {
  /** Traces, as Plotly.react takes them. Pass a memoised value: a new array redraws the chart. */
  data: Plotly.Data[]
  /** Layout (width and height come from the element, sized by `className`). Memoise it too. */
  layout: Partial<Plotly.Layout>
  /** Extra config on top of { displaylogo: false }. */
  config?: Partial<Plotly.Config>
  /** CSS class giving the element its size (`surface`, `curves`, `ladder`). */
  className: string
  testId: string
}

export function PlotlyChart({ data, layout, config, className, testId }: PlotlyChartProps) {
  const ref = useRef<HTMLDivElement>(null)
  // One queue of Plotly calls per chart (survives React's effect re-runs), and whether a draw has landed.
  const queue = useRef<Promise<void>>(Promise.resolve())
  const drawn = useRef(false)

  const enqueue = (el: HTMLElement, step: (p: typeof Plotly, el: HTMLElement) => unknown) => {
    queue.current = queue.current
      .then(loadPlotly)
      .then((p) => step(p, el))
      .then(
        () => undefined,
        (e: unknown) => console.warn('chart:', e),
      )
  }

  // Setup and teardown: refit on the element's size changes; purge (after whatever is in flight) on unmount.
  useEffect(() => {
    const el = ref.current!
    const shown = () => el.clientWidth > 0 && el.clientHeight > 0
    const observer = new ResizeObserver(() => {
      if (shown()) enqueue(el, (p) => (drawn.current && shown() ? p.Plots.resize(el) : undefined))
    })
    observer.observe(el)
    return () => {
      observer.disconnect()
      enqueue(el, (p) => {
        drawn.current = false
        p.purge(el)
      })
    }
  }, [])

  // Draw, or update in place, whenever the figure changes.
  useEffect(() => {
    const el = ref.current!
    enqueue(el, async (p) => {
      await p.react(el, data, layout, { ...BASE_CONFIG, ...config })
      drawn.current = true
    })
  }, [data, layout, config])

  return <div className={className} ref={ref} data-testid={testId} />
}
