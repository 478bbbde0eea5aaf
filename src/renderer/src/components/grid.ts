/**
 * ag-grid setup shared by every grid: Community modules only, one theme. Its colours follow the app's theme:
 * `colorSchemeVariable` switches with `data-ag-theme-mode` on <html> (components/theme.tsx sets it).
 */
import { AllCommunityModule, colorSchemeVariable, ModuleRegistry, themeQuartz } from 'ag-grid-community'

ModuleRegistry.registerModules([AllCommunityModule])

export const gridTheme = themeQuartz.withPart(colorSchemeVariable).withParams({
  fontSize: 12,
  headerFontSize: 12,
  rowHeight: 28,
  headerHeight: 32,
  spacing: 5,
})

/**
 * Width in px a column needs to show every one of `texts` (and its header) whole at the grid's 12 px font:
 * figures are about 6.8 px wide, the cell's padding takes ~22 px (measured in Chromium: the e2e test checks
 * no cell's text overflows). A cell never clips its figure ("-102,…"); a grid wider than its box scrolls
 * sideways instead.
 */
export function columnWidthFor(texts: readonly string[], header = ''): number {
  const chars = Math.max(header.length + 1, ...texts.map((t) => t.length))
  return Math.ceil(chars * 6.8 + 22)
}
