/**
 * "Export PDF…": the risk report of the selected portfolio and valuation as-of, on A4 or US Letter, printed by
 * the host and saved as a download (the desktop app asks where through its save dialog); with a what-if of the
 * portfolio chosen, the report adds its before / after comparison. While it prints, the button shows the
 * seconds elapsed; an error is shown beside it.
 */
import { useEffect, useState } from 'react'
import type { PaperSize } from '../../../../shared/reportApi'
import { saveBlob } from '../../components/saveBlob'
import { exportReportPdf } from '../../data/reportExport'
import { useApiQuery } from '../../data/useApi'

export function ExportPdfButton({ portfolio, asOf }: { portfolio: string | undefined; asOf: string | undefined }) {
  const [paper, setPaper] = useState<PaperSize>('a4')
  const [whatIf, setWhatIf] = useState('')
  const whatIfs = useApiQuery('listWhatIfs', portfolio === undefined ? undefined : { portfolio }).data ?? []
  // A what-if of another portfolio (the header's portfolio changed) is not offered, nor sent.
  const chosenWhatIf = whatIfs.some((w) => w.name === whatIf) ? whatIf : undefined
  const [started, setStarted] = useState<number | null>(null)
  const [now, setNow] = useState(Date.now())
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null)

  useEffect(() => {
    if (started === null) return
    const t = setInterval(() => setNow(Date.now()), 500)
    return () => clearInterval(t)
  }, [started])

  const run = () => {
    setStarted(Date.now())
    setNow(Date.now())
    setMessage(null)
    exportReportPdf({ portfolio, asOf, paper, whatIf: chosenWhatIf })
      .then(({ fileName, blob }) => {
        saveBlob(fileName, blob)
        setMessage({ error: false, text: `saved ${fileName}` })
      })
      .catch((e: unknown) => setMessage({ error: true, text: `PDF failed: ${(e as Error).message}` }))
      .finally(() => setStarted(null))
  }

  return (
    <span className="export-pdf">
      <select value={paper} onChange={(e) => setPaper(e.target.value as PaperSize)} aria-label="Paper size" data-testid="report-paper">
        <option value="a4">A4</option>
        <option value="letter">Letter</option>
      </select>
      {whatIfs.length > 0 && (
        <select value={chosenWhatIf ?? ''} onChange={(e) => setWhatIf(e.target.value)} aria-label="What-if in the report" data-testid="report-whatif">
          <option value="">no what-if</option>
          {whatIfs.map((w) => (
            <option key={w.name} value={w.name}>
              with what-if {w.name}
            </option>
          ))}
        </select>
      )}
      <button type="button" onClick={run} disabled={started !== null || portfolio === undefined} data-testid="export-pdf">
        {started === null ? 'Export PDF…' : `Printing report… ${Math.floor((now - started) / 1000)} s`}
      </button>
      {started !== null && <progress aria-label="Printing the report" data-testid="export-pdf-progress" />}
      {message && (
        <span className={message.error ? 'error' : 'muted'} data-testid="export-pdf-message">
          {message.text}
        </span>
      )}
    </span>
  )
}
