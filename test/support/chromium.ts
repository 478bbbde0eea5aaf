import { CHROMIUM_LAUNCH_ARGS } from '../../src/main/services/reportPdf'

/** Debian's Chromium (never a downloaded browser) and the switches every test launches it with. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * The printer's switches (headless, no background traffic, WebGL through SwiftShader: services/reportPdf.ts), and
 * the page is composited in software (--disable-gpu-compositing): with no GPU, compositing through SwiftShader
 * as well cost a quarter more Chromium CPU per view here (the Stress view with its surface: 16.5 against 21.3
 * CPU-seconds, the Overview 3.7 against 6.7; same pixels), and WebGL still draws through SwiftShader.
 */
export const CHROMIUM_ARGS = [...CHROMIUM_LAUNCH_ARGS, '--disable-gpu-compositing']
