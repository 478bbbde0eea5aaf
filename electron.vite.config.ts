import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

// Main and preload externalise `dependencies` (better-sqlite3, piscina…); the renderer bundles its own
// libraries, which are devDependencies. The sandboxed preload must be a single CommonJS file.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The import thread's entry and its task are found beside the code that starts them
        // (services/importThread.ts), so every file of the main build sits in one folder.
        input: {
          index: resolve('src/main/index.ts'),
          importWorkerEntry: resolve('src/main/engine/importWorkerEntry.ts'),
          importTask: resolve('src/main/services/importTask.ts'),
        },
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  // The renderer starts with the shell (React, the API client) and loads each view on demand (views.ts);
  // Plotly, ag-grid and React get chunks of their own, shared by the views that use them.
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react()],
    build: {
      minify: true,
      rollupOptions: {
        input: { index: resolve('src/renderer/index.html') },
        output: {
          codeSplitting: {
            // A group takes its modules' dependencies with it, so React goes first (highest priority):
            // otherwise it would land in ag-grid's chunk through ag-grid-react.
            groups: [
              { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 3 },
              { name: 'plotly', test: /node_modules[\\/]plotly\.js/, priority: 2 },
              { name: 'ag-grid', test: /node_modules[\\/]ag-grid-/, priority: 1 },
            ],
          },
        },
      },
      // kB, minified. The two largest chunks are libraries loaded only with the views that use them: Plotly's
      // prebuilt gl3d bundle (~1.7 MB, one file that cannot be split) and ag-grid (~1.2 MB: grid.ts registers
      // AllCommunityModule). Anything else growing past this should be split.
      chunkSizeWarningLimit: 1800,
    },
  },
})
