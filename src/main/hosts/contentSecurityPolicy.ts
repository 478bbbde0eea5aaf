/**
 * The renderer's Content-Security-Policy, sent by the web host and the Electron protocol handler (and
 * mirrored in src/renderer/index.html): only the app's own scripts, no eval, no remote anything.
 * `style-src 'unsafe-inline'` is required by ag-grid's and Plotly's injected styles; `blob:`/`data:` images
 * by Plotly's image export.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
