import { QueryClientProvider } from '@tanstack/react-query'
import { lazy, StrictMode, Suspense } from 'react'
import { createRoot } from 'react-dom/client'
import { parseReportRoute } from '../../shared/reportApi'
import { App } from './App'
import { ShortcutProvider } from './components/shortcuts'
import { ThemeProvider } from './components/theme'
import { createQueryClient } from './data/apiQueries'
import './styles.css'

const queryClient = createQueryClient()
// The report route (`?view=report&…`) is the printable report alone (features/report), its own chunk.
const reportRoute = parseReportRoute(window.location.search)
const ReportPage = lazy(() => import('./features/report/ReportPage').then((m) => ({ default: m.ReportPage })))

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ThemeProvider>
        <ShortcutProvider>
          {reportRoute ? (
            <Suspense fallback={<p className="busy">loading…</p>}>
              <ReportPage request={reportRoute.request} paper={reportRoute.paper} printId={reportRoute.printId} />
            </Suspense>
          ) : (
            <App />
          )}
        </ShortcutProvider>
      </ThemeProvider>
    </QueryClientProvider>
  </StrictMode>,
)
