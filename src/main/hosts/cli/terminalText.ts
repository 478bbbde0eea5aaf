/**
 * Text from files (account names, instrument names, bad values, file names) printed to a terminal: control
 * characters are shown escaped, never sent raw. An ESC or OSC sequence in an account name could otherwise
 * recolour, retitle or rewrite the terminal (or hide a line), and a CR could overwrite the line before it.
 * Kept as they are: newline and tab, which the CLI's own layout uses.
 */

// C0 controls but \t and \n, DEL, C1 controls (0x80–0x9F, e.g. the one-byte CSI 0x9B), and the bidirectional
// overrides and isolates that reorder what a reader sees (Trojan Source, CVE-2021-42574).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

/** `text` with every unsafe character written as `\xHH` or `\u{HHHH}`, so it shows and does nothing. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0)
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`
  })
}
