/**
 * The names of the API calls, without their schemas, for the preload bridge (which must stay small and
 * free of zod). `api.ts` checks at compile time that this list and the contract agree.
 */
export const API_NAMES = [
  'listPortfolios',
  'getPositions',
  'listMarketSnapshots',
  'runStress',
  'startStress',
  'getStressJob',
  'cancelStress',
  'stressDrillDown',
  'listScenarioSets',
  'getScenarioSet',
  'saveScenarioSet',
  'deleteScenarioSet',
  'getStressSettings',
  'saveStressSettings',
  // Import (src/shared/importApi.ts)
  'listFormats',
  'previewImport',
  'importUpload',
  'listImports',
  'listMappings',
  'saveMapping',
  'deleteMapping',
  // Margin (src/shared/marginApi.ts)
  'getMargin',
  'getMarginStress',
  'runCascade',
  'listMarginSettings',
  'saveMarginSettings',
  'getMarginParams',
  // Volatility surface (src/shared/surfaceApi.ts)
  'getVolSurface',
  // Portfolio management (src/shared/portfolioApi.ts)
  'renamePortfolio',
  'deletePortfolio',
  'removePositions',
  'removeImport',
  // Value at Risk (src/shared/varApi.ts)
  'runVar',
  'startVar',
  'getVarJob',
  'cancelVar',
  'runBacktest',
  // Greeks buckets (src/shared/greeksApi.ts)
  'getGreeksBuckets',
  // Risk report (src/shared/reportApi.ts)
  'getReport',
  'getReportForPrint',
  'exportReportPdf',
  // What-if books (src/shared/whatifApi.ts)
  'listWhatIfs',
  'getWhatIf',
  'createWhatIf',
  'addWhatIfLeg',
  'resizeWhatIfLeg',
  'removeWhatIfLeg',
  'deleteWhatIf',
  'renameWhatIf',
  'duplicateWhatIf',
  'getWhatIfPositions',
  'getWhatIfVar',
  // Risk profile (src/shared/profileApi.ts)
  'getRiskProfile',
  // Hedge suggestion (src/shared/hedgeApi.ts)
  'suggestHedge',
] as const
export type ApiCallName = (typeof API_NAMES)[number]

/** IPC channel of a call: one channel per call, all under the `riskdesk:` prefix. */
export const ipcChannel = (name: ApiCallName): string => `riskdesk:${name}`

/** What the Electron main process returns over IPC (Electron forwards only `message` of a thrown error). */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: string; name: string }

/**
 * Events a host pushes to the renderer (Electron: `webContents.send` on `riskdesk:event:<name>`; web host:
 * server-sent events at `/api/events/<name>`). `stressJob`: a stress job's progress (StressJobEvent in api.ts).
 */
export const EVENT_NAMES = ['stressJob'] as const
export type EventName = (typeof EVENT_NAMES)[number]

/** IPC channel of an event, under `riskdesk:event:` (never a call's channel: no call is named `event:…`). */
export const eventChannel = (name: EventName): string => `riskdesk:event:${name}`

export const isEventName = (name: string): name is EventName => (EVENT_NAMES as readonly string[]).includes(name)
