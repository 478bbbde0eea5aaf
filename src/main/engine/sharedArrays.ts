/**
 * Float64Arrays backed by SharedArrayBuffers: workers receive views of the same memory, so a book is
 * packed once and no worker copies it (DESIGN.md §5).
 */

/** A zero-filled Float64Array of `length` over a new SharedArrayBuffer. */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(length, 1) * Float64Array.BYTES_PER_ELEMENT))
}

/** A shared copy of `values`. */
export function sharedFrom(values: ArrayLike<number>): Float64Array {
  const out = sharedFloat64(values.length)
  out.set(values)
  return out
}
