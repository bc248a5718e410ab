import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

/** The package root: src/ (tests) and dist/ (compiled) both sit one level below it. */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
export const fixturesDir = join(packageRoot, 'fixtures')
export const scenariosDir = join(packageRoot, 'scenarios')
/** Files served to browsers as they are: the SDK stand-in (assets/kp-sdk.js). */
export const assetsDir = join(packageRoot, 'assets')

/** The package version, from package.json. */
export const version: string = (
  JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }
).version
