// Loaded by every test process before its test file (test/loader/register.mjs, tap's node-arg): the
// tests import the compiled code in dist/, so a change in src/ that was not built yet would be
// tested as it was. Builds (npm run build) when dist/ is missing or older than anything it is built
// from; otherwise does nothing. Also a script: `node test/build-if-stale.mjs` does the same and exits
// with the build's status; npm test runs it first (the type check of the tests reads dist/'s
// declarations), instead of `npm run build`, which took 3.5 s when nothing had changed.
//
// tap starts two test files at once: the first to find dist/ stale takes a lock (a directory
// holding its pid) and builds; the others wait for the lock to go, then find dist/ fresh. A lock
// whose process is gone (a build that was killed) is taken over.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

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

/** Whether dist/ is missing or older than src/ or anything else the build reads. */
function stale(root) {
  // src/ and what the build reads besides: its scripts, its configuration, the scenario files it
  // parses (dist/scenarios.json), and the lock file (the bundle holds the dependencies' code).
  const sources = Math.max(
    newest(join(root, 'src')),
    newest(join(root, 'scenarios')),
    ...['scripts/bundle.mjs', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map(
      (f) => mtime(join(root, f)) ?? 0,
    ),
  )
  // The bundle is the last thing the build writes.
  const built = mtime(join(root, 'dist', 'klarna-mock.mjs'))
  return built === undefined || built < sources
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

/** The pid in the lock, or undefined when there is no lock. */
function lockHolder(lock) {
  try {
    return Number(readFileSync(join(lock, 'pid'), 'utf8'))
  } catch (err) {
    // The lock without its pid yet: held, while its taker is between the two calls; a taker that
    // died there left it so (gone, once it is ten seconds old).
    const made = err?.code === 'ENOENT' ? mtime(lock) : undefined
    if (made === undefined) return undefined
    return Date.now() - made < 10_000 ? 0 : -1
  }
}

function alive(pid) {
  if (pid <= 0) return pid === 0
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return err?.code === 'EPERM'
  }
}

/**
 * Builds when stale (see above); returns the build's exit status, 0 when nothing was to do. `env`
 * is the build's environment (where npm is found), `log` where it says what it does.
 */
export function buildIfStale(root, { env = process.env, log = console.error } = {}) {
  const lock = join(root, '.build-lock')
  let waited = false
  for (;;) {
    if (!stale(root)) return 0
    try {
      mkdirSync(lock)
    } catch (err) {
      if (err?.code !== 'EEXIST') throw err
      const holder = lockHolder(lock)
      // Gone meanwhile: try again.
      if (holder === undefined) continue
      if (!alive(holder)) {
        rmSync(lock, { recursive: true, force: true })
        continue
      }
      if (!waited) {
        const whose = holder > 0 ? `process ${holder}` : 'another process'
        log(`dist/ is older than src/: waiting for the build of ${whose}`)
      }
      waited = true
      sleep(100)
      continue
    }
    try {
      writeFileSync(join(lock, 'pid'), String(process.pid))
      if (!stale(root)) return 0
      log('dist/ is older than src/: npm run build')
      const { status } = spawnSync('npm', ['run', 'build'], { cwd: root, env, stdio: ['ignore', 2, 2] })
      return status ?? 1
    } finally {
      rmSync(lock, { recursive: true, force: true })
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(buildIfStale(join(import.meta.dirname, '..')))
}
