import t from 'tap'
import { readdirSync } from 'node:fs'

/**
 * Runs every `*.test.ts` file of a folder in this one process, in name order: their top-level
 * tests join this process's root test. Sharing the process saves each file's own start (tap, the
 * app's modules, the OpenAPI oracle's compiled specs, the validators, Chromium): about 3
 * CPU-seconds a file. Each file also runs alone (`npx tap test/in-process/sessions.test.ts`).
 */
export async function runTogether(folder: URL): Promise<void> {
  // tap gives a file 120 s (.taprc); these files together get 300 s, so that a busy machine (two
  // suites at once) does not time them out, while a hang is still reported.
  t.setTimeout(300_000)
  const files = readdirSync(folder).filter((file) => file.endsWith('.test.ts'))
  for (const name of files.sort()) await import(new URL(name, folder).href)
}
