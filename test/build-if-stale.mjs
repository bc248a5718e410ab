// Run by tap before the tests (.taprc `before`): the tests import the compiled code in dist/, so a
// change in src/ that was not built yet would be tested as it was. Builds (npm run build) when
// dist/ is missing or older than anything it is built from; otherwise does nothing (npm test has
// just built it).
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const mtime = (path) => {
  try {
    return statSync(path).mtimeMs
  } catch {
    return undefined
  }
}
const newest = (dir) =>
  Math.max(
    0,
    ...readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => mtime(join(entry.parentPath ?? entry.path, entry.name)) ?? 0),
  )
// src/ and what the build reads besides: its scripts, its configuration, the scenario files it
// parses (dist/scenarios.json).
const sources = Math.max(
  newest(join(root, 'src')),
  newest(join(root, 'scenarios')),
  ...['scripts/bundle.mjs', 'tsconfig.json', 'tsconfig.build.json'].map((f) => mtime(join(root, f)) ?? 0),
)
// The bundle is the last thing the build writes.
const built = mtime(join(root, 'dist', 'klarna-mock.mjs'))
if (built === undefined || built < sources) {
  console.error('dist/ is older than src/: npm run build')
  const { status } = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
  process.exit(status ?? 1)
}
