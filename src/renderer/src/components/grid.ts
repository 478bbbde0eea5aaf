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
