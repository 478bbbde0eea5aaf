/**
 * localStorage keys the renderer keeps between sessions, here so the browser tests can set them too
 * (test/support/browser.ts `opensOn`).
 */

/** The view last shown (a renderer views.ts id): the app reopens on it (renderer lastView.ts). */
export const VIEW_STORAGE_KEY = 'riskdesk.view'
