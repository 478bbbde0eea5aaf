/**
 * A chart of the report: the model's Plotly figure (the same spec the on-screen view draws) turned into a
 * static image with Plotly.toImage — SVG (vector in the PDF) for 2-D charts, PNG for WebGL (3-D) ones, which
 * Plotly can only rasterise — so printing never catches a WebGL canvas half drawn.
 */
import { useEffect, useState } from 'react'
import type { ReportBlock } from '../../../../shared/reportApi'
import { loadPlotly } from '../../components/PlotlyChart'

type ChartBlock = Extract<ReportBlock, { kind: 'chart' }>

const WIDTH = 900
const HEIGHT = 560

export function ReportChart({ block, onDone }: { block: ChartBlock; onDone: (error?: string) => void }) {
  const [src, setSrc] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    loadPlotly()
      .then((Plotly) =>
        Plotly.toImage({ data: block.data, layout: { ...block.layout, width: WIDTH, height: HEIGHT } } as unknown as Parameters<typeof Plotly.toImage>[0], {
          format: block.render === 'gl' ? 'png' : 'svg',
          width: WIDTH,
          height: HEIGHT,
          // 1: WebGL draws in software (SwiftShader) in headless Chromium, and each doubling of scale costs 4×.
          scale: 1,
        }),
      )
      .then(
        (url) => {
          if (!live) return
          setSrc(url)
        },
        (e: unknown) => {
          if (!live) return
          setError((e as Error).message)
          onDone((e as Error).message)
        },
      )
    return () => {
      live = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [block])
  if (error) return <p className="error">Chart {block.title} could not be drawn: {error}</p>
  return src ? (
    <img className="report-chart" src={src} alt={block.title} width={WIDTH} height={HEIGHT} data-testid={`report-chart-${block.id}`} onLoad={() => onDone()} />
  ) : (
    <p className="busy">drawing {block.title}…</p>
  )
}
