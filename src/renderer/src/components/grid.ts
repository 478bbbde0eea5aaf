/** ag-grid setup shared by every grid: Community modules only, one theme. */
import { AllCommunityModule, ModuleRegistry, themeQuartz } from 'ag-grid-community'

ModuleRegistry.registerModules([AllCommunityModule])

export const gridTheme = themeQuartz.withParams({
  fontSize: 12,
  headerFontSize: 12,
  rowHeight: 28,
  headerHeight: 32,
  spacing: 5,
})
