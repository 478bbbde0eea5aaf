import { QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { ShortcutProvider } from './components/shortcuts'
import { ThemeProvider } from './components/theme'
import { createQueryClient } from './data/apiQueries'
import './styles.css'

const queryClient = createQueryClient()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ThemeProvider>
        <ShortcutProvider>
          <App />
        </ShortcutProvider>
      </ThemeProvider>
    </QueryClientProvider>
  </StrictMode>,
)
