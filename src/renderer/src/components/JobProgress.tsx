/**
 * A running job's progress beside its Run button (stress and VaR jobs, data/useJob.ts): a progress bar, units
 * done of all (scenarios or paths; "…" until the run has counted them) and Cancel. Nothing while no job runs.
 * Test ids: `<testId>-progress`, `<testId>-cancel`.
 */
import { fmt } from '../../../shared/format'
import type { JobState } from '../data/useJob'

export function JobProgress({ state, cancel, testId }: { state: JobState<unknown>; cancel: () => unknown; testId: string }) {
  if (!state.running) return null
  return (
    <span className="progress" data-testid={`${testId}-progress`}>
      <progress max={state.total || 1} value={state.done} /> {fmt(state.done)}/{state.total ? fmt(state.total) : '…'}{' '}
      <button type="button" onClick={() => void cancel()} data-testid={`${testId}-cancel`}>
        Cancel
      </button>
    </span>
  )
}
