/** Debian's Chromium (never a downloaded browser) and the switches every test launches it with. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Headless, no background traffic; WebGL through SwiftShader (Chrome ≥ 144 no longer falls back on its own).
 * The page is composited in software (--disable-gpu-compositing): with no GPU, compositing through SwiftShader
 * as well cost a quarter more Chromium CPU per view here (the Stress view with its surface: 16.5 against 21.3
 * CPU-seconds, the Overview 3.7 against 6.7; same pixels), and WebGL still draws through SwiftShader.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
  '--disable-gpu-compositing',
]
