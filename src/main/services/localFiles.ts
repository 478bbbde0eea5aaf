/**
 * Reading files a user names on the command line (imports, scenario files, venue rules, mappings, contract
 * specs, stress settings): only regular files, up to a stated size, refused at once with the path otherwise.
 * A FIFO would block the read forever and /dev/zero never end; both are refused before a byte is read
 * (opened non-blocking, then checked with fstat on the same descriptor, so the check and the read see one
 * file). JSON settings files go through the importers' JSON reader: depth limit, duplicate keys refused,
 * errors with their line.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs'
import { formatIssue, ImportFailedError } from '../importers/core/importIssue'
import { jsonValue, readJsonDocument } from '../importers/core/jsonDocument'

/** Largest file `riskdesk import` reads: 1 GiB (a million-row trade log is ~150 MB). */
export const MAX_IMPORT_BYTES = 1024 ** 3
/** Largest settings file (scenario set, venue rules, mapping, contract specs, stress settings): 16 MiB. */
export const MAX_SETTINGS_BYTES = 16 * 1024 ** 2

/** A path that is not a regular file, or is too large; the message names the path and the limit. */
export class FileRefusedError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path}: ${reason}`)
    this.name = 'FileRefusedError'
  }
}

const MB = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 === 0 ? 0 : 1)} GiB` : `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 === 0 ? 0 : 1)} MiB`)

/** What a non-regular file is, in words. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory'
  if (st.isFIFO()) return 'a named pipe (FIFO)'
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device'
  if (st.isSocket()) return 'a socket'
  return 'not a regular file'
}

/**
 * Opens `path` for reading if it is a regular file of at most `maxBytes` bytes.
 * @returns the open descriptor (the caller closes it) and the size
 * @throws FileRefusedError naming the path: missing, unreadable, not a regular file, or over the limit
 */
export function openRegularFile(path: string, maxBytes: number): { fd: number; size: number } {
  let fd: number
  try {
    // O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new FileRefusedError(path, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory, not a file' : `cannot be opened (${code ?? (e as Error).message})`)
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new FileRefusedError(path, `${kindOf(st)}, not a regular file: only regular files (up to ${MB(maxBytes)}) are read`)
    if (st.size > maxBytes) throw new FileRefusedError(path, `${MB(st.size)}, over the ${MB(maxBytes)} limit for this kind of file`)
    return { fd, size: st.size }
  } catch (e) {
    closeSync(fd)
    throw e
  }
}

/** Why `path` cannot be read as an import (not a regular file, over MAX_IMPORT_BYTES, missing), or null. */
export function importFileProblem(path: string): string | null {
  try {
    closeSync(openRegularFile(path, MAX_IMPORT_BYTES).fd)
    return null
  } catch (e) {
    if (e instanceof FileRefusedError) return e.message.slice(path.length + 2)
    throw e
  }
}

/** The whole text of a regular file of at most `maxBytes` (UTF-8). @throws FileRefusedError */
export function readRegularTextFile(path: string, maxBytes = MAX_SETTINGS_BYTES): string {
  const { fd, size } = openRegularFile(path, maxBytes)
  try {
    const buf = Buffer.allocUnsafe(size)
    let off = 0
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off)
      if (n === 0) break
      off += n
    }
    return buf.subarray(0, off).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

/** A JSON settings file that cannot be read: the path, line and reason, one per line. */
export class JsonFileError extends Error {
  constructor(readonly path: string, reasons: string[]) {
    super(reasons.join('\n'))
    this.name = 'JsonFileError'
  }
}

/**
 * Reads a JSON (or JSON with comments) settings file: a regular file up to MAX_SETTINGS_BYTES, nesting at
 * most 64 deep, no key twice in one object.
 * @throws FileRefusedError; JsonFileError naming the path and line of each problem
 */
export function readJsonFile(path: string, o: { allowTrailingComma?: boolean } = {}): unknown {
  const text = readRegularTextFile(path)
  try {
    return jsonValue(readJsonDocument(path, text, o).root)
  } catch (e) {
    if (e instanceof ImportFailedError) throw new JsonFileError(path, e.issues.map(formatIssue))
    throw e
  }
}
