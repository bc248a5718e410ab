// The Node flags the server runs with: those of package.json's `start` script (`node FLAGS
// dist/klarna-mock.mjs`), the one place they are written. The Dockerfile's ENTRYPOINT says the same
// (test/in-process/bench.test.ts checks); the benchmarks (bench/lib.mjs) and the tests that start
// the bundle as users do (test/helpers/spawn.ts) read them here.
import { readFileSync } from 'node:fs'

/** `FLAGS` of a start script `node FLAGS dist/klarna-mock.mjs`; throws for any other script. */
export function startScriptFlags(script) {
  const words = script.trim().split(/\s+/)
  const bundle = words.indexOf('dist/klarna-mock.mjs')
  if (words[0] !== 'node' || bundle < 1) {
    throw new Error(`the start script is not node FLAGS dist/klarna-mock.mjs: ${script}`)
  }
  return words.slice(1, bundle)
}

/** The flags of this package's start script. */
export const serverNodeFlags = startScriptFlags(
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.start,
)
