/**
 * Plotly, loaded on first use. Its chunk (~1.7 MB minified, see electron.vite.config.ts) is fetched and
 * evaluated when a chart first draws, so a view shows its figures and grids without waiting for it; the
 * charts fill in when it arrives. Calls made before then run once it has loaded, in the order they were made
 * (a purge after the draws it undoes).
 */
import type Plotly from 'plotly.js-gl3d-dist-min'

let loading: Promise<typeof Plotly> | null = null
const load = () => (loading ??= import('plotly.js-gl3d-dist-min').then((m) => m.default))

export const plotly = {
  /** `Plotly.react`: draws, or updates, the chart in `el`. */
  react(el: HTMLElement, data: Plotly.Data[], layout: Partial<Plotly.Layout>, config: Partial<Plotly.Config>): void {
    void load().then((p) => p.react(el, data, layout, config))
  },
  /** `Plotly.purge`: removes the chart from `el` and frees its memory. */
  purge(el: HTMLElement): void {
    void load().then((p) => p.purge(el))
  },
}
