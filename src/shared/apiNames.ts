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
] as const
export type ApiCallName = (typeof API_NAMES)[number]

/** IPC channel of a call: one channel per call, all under the `riskdesk:` prefix. */
export const ipcChannel = (name: ApiCallName): string => `riskdesk:${name}`

/** What the Electron main process returns over IPC (Electron forwards only `message` of a thrown error). */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: string; name: string }
