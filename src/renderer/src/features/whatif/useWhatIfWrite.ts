/**
 * Writes to what-if books (create, rename, duplicate, delete, add / resize / remove a leg) through the API,
 * then tells the data layer (useInvalidate().afterWhatIf): every cached answer that reads a what-if is stale,
 * and the shown ones are read again. The last write's error is kept for the view to show.
 */
import { useCallback, useEffect, useState } from 'react'
import { useInvalidate } from '../../data/useApi'

export function useWhatIfWrite() {
  const invalidate = useInvalidate()
  const [busy, setBusy] = useState(0)
  const [error, setError] = useState<string | null>(null)
  /** Runs `write`; resolves to its answer, or undefined when it failed (the error is in `error`). */
  const run = useCallback(
    async <T,>(write: () => Promise<T>): Promise<T | undefined> => {
      setBusy((b) => b + 1)
      setError(null)
      try {
        const r = await write()
        // Not awaited: the refetch of the figures shows its own progress.
        void invalidate.afterWhatIf()
        return r
      } catch (e) {
        setError((e as Error).message)
        return undefined
      } finally {
        setBusy((b) => b - 1)
      }
    },
    [invalidate],
  )
  return { run, busy: busy > 0, error, clearError: () => setError(null) }
}

/** `value`, once it has stopped changing for `ms` (the figures follow typing without a call per key). */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return settled
}
