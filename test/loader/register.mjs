// tap's node-arg (.taprc), so loaded by every test process before its test file.
import { register } from 'node:module'
import { join } from 'node:path'
import { buildIfStale } from '../build-if-stale.mjs'

// The tests import dist/: build it first if src/ changed since (npx tap test/X.test.ts after an
// edit tests the edit). Only a check of file times when it is fresh, as it is under npm test, whose
// first step is the same check.
const status = buildIfStale(join(import.meta.dirname, '..', '..'))
if (status !== 0) {
  console.error(`npm run build failed (exit ${status}): no test can run on the old dist/`)
  process.exit(status)
}

// The test files are TypeScript, loaded through this module's hooks.
register('./hooks.mjs', import.meta.url)
