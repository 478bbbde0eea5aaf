#!/usr/bin/env node
// Entry of the `riskdesk` command. Riskdesk needs Node.js ≥ 22 (better-sqlite3 13); from a checkout,
// `npm run riskdesk -- <command>` runs it on the Node 24 that `npm ci` installs (devDependency `node`).
const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  process.stderr.write(
    `riskdesk needs Node.js 22 or newer; this is ${process.version}.\n` +
      'From a checkout, run it through npm, which uses the Node 24 installed by npm ci:\n' +
      '  npm run riskdesk -- <command>\n',
  )
  process.exit(1)
}
const { register } = await import('tsx/esm/api')
register()
const { main } = await import('../src/main/hosts/cli/main.ts')
await main(process.argv)
