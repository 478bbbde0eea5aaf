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
 *   zero size) is left alone until it is shown, then refitted. A figure (or theme) that changes while the chart
 *   is hidden is drawn when it is shown, once, at its size: drawn hidden, Plotly would draw it at its default
 *   size and again on the refit (two software-WebGL draws of a surface for one the user sees). Plotly's own
 *   `responsive` window handler is off, since it would resize charts of hidden views.
 * - Colours follow the app's theme (components/theme.tsx): text, axes and grid lines are set here on top of
 *   the chart's own layout, so a chart needs no theme code of its own.
 * - The element says whether its figure is drawn: `data-chart-state` is "drawing" from the moment a draw or a
 *   refit is queued until Plotly has finished every one queued (the promise of `react`/`resize`, which settles
 *   after Plotly's `plotly_afterplot`), then "drawn"; "hidden" while a figure waits for the chart to be shown.
 *   Nothing in the app reads it: it lets a test wait for the chart instead of sleeping.
 */
import type Plotly from 'plotly.js-gl3d-dist-min'
import { useEffect, useMemo, useRef } from 'react'
import { useTheme, type Theme } from './theme'

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

/** Text, grid-line and zero-line colours per theme (styles.css's --fg and --border). */
const CHART_COLORS: Record<Theme, { text: string; grid: string; zero: string }> = {
  light: { text: '#1d2330', grid: '#e3e6ec', zero: '#9aa1ad' },
  dark: { text: '#d6dae3', grid: '#343b4a', zero: '#6b7386' },
}

type Axis = Partial<Plotly.LayoutAxis> | undefined

/** `layout` with the theme's colours on its text, 2D axes and 3D scene axes (what the chart sets itself wins). */
function themed(layout: Partial<Plotly.Layout>, theme: Theme): Partial<Plotly.Layout> {
  const c = CHART_COLORS[theme]
  const axis = (a: Axis) => ({ color: c.text, gridcolor: c.grid, zerolinecolor: c.zero, linecolor: c.grid, ...a })
  const scene = layout.scene && {
    ...layout.scene,
    xaxis: axis(layout.scene.xaxis as Axis),
    yaxis: axis(layout.scene.yaxis as Axis),
    zaxis: axis(layout.scene.zaxis as Axis),
  }
  return {
    ...layout,
    // Transparent plot area: the chart's box (styles.css --panel) shows through, light or dark.
    plot_bgcolor: layout.plot_bgcolor ?? 'rgba(0,0,0,0)',
    font: { color: c.text, ...layout.font },
    xaxis: axis(layout.xaxis),
    yaxis: axis(layout.yaxis),
    ...(layout.yaxis2 ? { yaxis2: axis(layout.yaxis2) } : {}),
    ...(scene ? { scene: scene as Plotly.Layout['scene'] } : {}),
  }
}

const BASE_CONFIG: Partial<Plotly.Config> = { displaylogo: false, responsive: false }

/** Whether the chart's element has a size: zero in a view in the background (App.tsx hides it). */
const shown = (el: HTMLElement) => el.clientWidth > 0 && el.clientHeight > 0

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
  /** Called with the index of a clicked point (in its trace). */
  onPointClick?: (pointIndex: number) => void
}

export function PlotlyChart({ data, layout, config, className, testId, onPointClick }: PlotlyChartProps) {
  const ref = useRef<HTMLDivElement>(null)
  const onClick = useRef(onPointClick)
  onClick.current = onPointClick
  const listening = useRef(false)
  // One queue of Plotly calls per chart (survives React's effect re-runs), and whether a draw has landed.
  const queue = useRef<Promise<void>>(Promise.resolve())
  const drawn = useRef(false)
  // Draws and refits queued and not finished yet (data-chart-state).
  const pending = useRef(0)
  // The figure to draw when the chart is shown again: set while it is hidden (see the header).
  const waiting = useRef<(() => void) | null>(null)

  const showState = (el: HTMLElement) => {
    el.dataset.chartState = pending.current > 0 ? 'drawing' : waiting.current ? 'hidden' : 'drawn'
  }

  const enqueue = (el: HTMLElement, step: (p: typeof Plotly, el: HTMLElement) => unknown) => {
    pending.current++
    showState(el)
    queue.current = queue.current
      .then(loadPlotly)
      .then((p) => step(p, el))
      .then(
        () => undefined,
        (e: unknown) => console.warn('chart:', e),
      )
      .then(() => {
        pending.current--
        showState(el)
      })
  }

  // Setup and teardown: refit on the element's size changes (or draw what waited while hidden); purge (after
  // whatever is in flight) on unmount.
  useEffect(() => {
    const el = ref.current!
    const observer = new ResizeObserver(() => {
      if (!shown(el)) return
      const draw = waiting.current
      waiting.current = null
      if (draw) draw()
      else enqueue(el, (p) => (drawn.current && shown(el) ? p.Plots.resize(el) : undefined))
    })
    observer.observe(el)
    return () => {
      observer.disconnect()
      enqueue(el, (p) => {
        drawn.current = false
        listening.current = false
        p.purge(el)
      })
    }
  }, [])

  const { theme } = useTheme()
  const shownLayout = useMemo(() => themed(layout, theme), [layout, theme])

  // Draw, or update in place, whenever the figure (or the theme) changes.
  useEffect(() => {
    const el = ref.current!
    const draw = () =>
      enqueue(el, async (p) => {
        await p.react(el, data, shownLayout, { ...BASE_CONFIG, ...config })
        drawn.current = true
        if (!listening.current) {
          listening.current = true
          ;(el as unknown as Plotly.PlotlyHTMLElement).on('plotly_click', (e) => {
            const point = e.points[0]
            if (point && onClick.current) onClick.current(point.pointIndex)
          })
        }
      })
    if (shown(el)) {
      waiting.current = null
      draw()
    } else {
      waiting.current = draw
      showState(el)
    }
  }, [data, shownLayout, config])

  // "drawing" from the first render (the first draw is queued right after it); the queue updates it in place
  // (React sets an attribute whose value never changes only once).
  return <div className={className} ref={ref} data-testid={testId} data-chart-state="drawing" />
}
