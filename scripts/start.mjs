// `npm start`: builds and opens the desktop app when Electron's binary is installed; otherwise says so in one
// message and points to the browser host. It never triggers Electron's lazy download (Electron ≥ 42 fetches
// its binary on first run from a host that may be unreachable).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const electronDir = join(root, 'node_modules', 'electron')
const pathFile = join(electronDir, 'path.txt')
const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null
const binary = override ? join(override, relative ?? 'electron') : relative ? join(electronDir, 'dist', relative) : null

if (!binary || !existsSync(binary)) {
  process.stderr.write(
    "Electron's binary is not installed, so the desktop window cannot open here.\n" +
      '  Use the same app in a browser:  npm run riskdesk -- serve   (prints a 127.0.0.1 URL with its token)\n' +
      '  Or install Electron where its download host is reachable:  npx install-electron, then npm start again\n' +
      '  (or point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron dist).\n',
  )
  process.exit(1)
}

const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
const build = run('npx', ['electron-vite', 'build'])
if (build.status !== 0) process.exit(build.status ?? 1)
process.exit(run(binary, ['.']).status ?? 0)
