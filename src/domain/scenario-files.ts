import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { Value } from '../typebox.js'
import { parse as parseYaml } from 'yaml'
import { packageRoot } from '../paths.js'
import { ScenarioFile, type Step } from '../schemas/scenario.js'
import { operations } from './scenarios.js'

/**
 * Scenario files: reads scenarios/*.yaml|yml|json, checks each against its schema
 * (src/schemas/scenario.ts) and the rules a schema cannot say, and turns it into a Scenario. Run once
 * at start-up; what happens to a scenario at run time is src/domain/scenarios.ts.
 */

export interface Scenario {
  name: string
  description: string
  appliesTo: string[]
  steps: Step[]
  /** A single step repeats for ever unless `times` bounds it; a sequence ends with normal behaviour. */
  repeat: boolean
  file: string
}

/** Headers a scenario cannot set: they frame the response or identify it. */
const reservedHeaders = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'trailer',
  'te',
  'content-type',
  'klarna-correlation-id',
  'date',
])

export class ScenarioFileError extends Error {
  override name = 'ScenarioFileError'
}

function describeErrors(file: string, doc: unknown): string {
  const first = [...Value.Errors(ScenarioFile, doc)].slice(0, 3)
  return first
    .map((e) => `${file}: ${e.path === '' ? '(root)' : e.path.slice(1).replace(/\//g, '.')}: ${e.message}`)
    .join('\n')
}

export function parseScenario(file: string, text: string): Scenario {
  let doc: unknown
  try {
    doc = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text)
  } catch (err) {
    // The YAML parser's message is a headline ending in "at line L, column C:" and a code frame:
    // keep the headline and the frame's source line, on one line.
    const [headline = '', ...frame] = (err as Error).message.split('\n')
    const source = frame.map((l) => l.trim()).find((l) => l !== '' && !/^\^+$/.test(l))
    throw new ScenarioFileError(
      `${file}: not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${headline.replace(/:$/, '')}${source === undefined ? '' : `: ${source}`}`,
    )
  }
  if (!Value.Check(ScenarioFile, doc)) throw new ScenarioFileError(describeErrors(file, doc))
  const spec = doc
  const outcomes = [spec.error, spec.success, spec.fault, spec.sequence].filter((x) => x !== undefined).length
  if (outcomes !== 1) {
    throw new ScenarioFileError(`${file}: needs exactly one of error, success, fault, sequence`)
  }
  for (const [i, step] of (spec.sequence ?? []).entries()) {
    if ([step.error, step.success, step.fault, step.pass].filter((x) => x !== undefined).length !== 1) {
      throw new ScenarioFileError(`${file}: sequence.${i}: needs exactly one of error, success, fault, pass`)
    }
  }
  for (const header of Object.keys(spec.error?.headers ?? {}).concat(
    (spec.sequence ?? []).flatMap((step) => Object.keys(step.error?.headers ?? {})),
  )) {
    if (reservedHeaders.has(header.toLowerCase())) {
      throw new ScenarioFileError(
        `${file}: headers.${header}: the mock sets this header itself (${[...reservedHeaders].join(', ')} cannot be forced)`,
      )
    }
  }
  for (const op of spec.applies_to) {
    if (op !== '*' && !(operations as readonly string[]).includes(op)) {
      throw new ScenarioFileError(
        `${file}: applies_to: unknown operation "${op}" (known: ${operations.join(', ')}, or "*")`,
      )
    }
  }
  const single: Step =
    spec.error !== undefined
      ? { error: spec.error }
      : spec.success !== undefined
        ? { success: spec.success }
        : spec.fault !== undefined
          ? { fault: spec.fault }
          : {}
  const steps = spec.sequence ?? Array.from({ length: spec.times ?? 1 }, () => single)
  return {
    name: spec.name,
    description: spec.description,
    appliesTo: spec.applies_to.includes('*') ? [...operations] : spec.applies_to,
    steps,
    repeat: spec.sequence === undefined && spec.times === undefined,
    file,
  }
}

/**
 * The shipped scenario files, parsed when the package was built (`npm run build` writes
 * dist/scenarios.json, see {@link parsedAtBuild}), by the hash of each file's text: a start-up then
 * parses no YAML unless a file was added or edited since (its text has another hash and is parsed
 * as any other). Parsing the 40-odd shipped files was about a fifth of the command-line server's
 * start. Read on first use; without the file (a build that did not write it), everything is parsed.
 */
export type ParsedAtBuild = Record<string, Omit<Scenario, 'file'>>
/** What `npm run build` writes (scripts/bundle.mjs). */
export const prebuiltScenariosFile = join(packageRoot, 'dist', 'scenarios.json')
let prebuilt: ParsedAtBuild | undefined
let prebuiltFile: string | undefined = prebuiltScenariosFile
/** Where the build's parsed scenarios are read from (undefined: nowhere); the tests point it elsewhere. */
export function usePrebuiltScenarios(file: string | undefined): void {
  prebuiltFile = file
  prebuilt = undefined
}
function prebuiltScenarios(): ParsedAtBuild {
  if (prebuilt !== undefined) return prebuilt
  try {
    prebuilt =
      prebuiltFile === undefined ? {} : (JSON.parse(readFileSync(prebuiltFile, 'utf8')) as ParsedAtBuild)
  } catch {
    prebuilt = {}
  }
  return prebuilt
}
/** What a file's scenario depends on: its text, and whether that text is read as JSON or YAML. */
const textKey = (file: string, text: string): string =>
  `${extname(file) === '.json' ? 'json' : 'yaml'}:${createHash('sha256').update(text).digest('base64url')}`

/** Every scenario of a folder, by text key, for dist/scenarios.json (the build writes it). */
export function parsedAtBuild(dir: string): ParsedAtBuild {
  const out: ParsedAtBuild = {}
  for (const scenario of loadScenarios([dir], false).values()) {
    const { file, ...rest } = scenario
    out[textKey(file, readFileSync(file, 'utf8'))] = rest
  }
  return out
}

/**
 * Scenarios already made from a file's text, by file: an app built again in the same process (a
 * library user's startMock() per test, this project's tests) parses only the files whose text
 * changed (the YAML parser was most of building an app). A Scenario is never changed once made.
 * Bounded: beyond 1,000 files it starts again.
 */
const made = new Map<string, { text: string; scenario: Scenario }>()
function scenarioOf(file: string, text: string, usePrebuilt: boolean): Scenario {
  const known = made.get(file)
  if (known?.text === text) return known.scenario
  const built = usePrebuilt ? prebuiltScenarios()[textKey(file, text)] : undefined
  const scenario = built === undefined ? parseScenario(file, text) : { ...built, file }
  if (made.size >= 1000) made.clear()
  made.set(file, { text, scenario })
  return scenario
}

/** Loads every scenario of the folders in order; a later folder's file replaces one of the same name. */
export function loadScenarios(dirs: readonly string[], usePrebuilt = true): Map<string, Scenario> {
  const all = new Map<string, Scenario>()
  for (const dir of dirs) {
    let entries: string[]
    try {
      entries = readdirSync(dir).sort()
    } catch (err) {
      throw new ScenarioFileError(`${dir}: cannot read the scenarios folder: ${(err as Error).message}`)
    }
    for (const entry of entries) {
      if (!/\.(ya?ml|json)$/.test(entry)) continue
      const file = join(dir, entry)
      let regular: boolean
      try {
        regular = statSync(file).isFile()
      } catch (err) {
        throw new ScenarioFileError(`${file}: cannot read: ${(err as Error).message}`)
      }
      if (!regular) {
        throw new ScenarioFileError(`${file}: not a regular file (a scenario is a .yaml, .yml or .json file)`)
      }
      const scenario = scenarioOf(file, readFileSync(file, 'utf8'), usePrebuilt)
      if (basename(entry, extname(entry)) !== scenario.name) {
        throw new ScenarioFileError(`${file}: name "${scenario.name}" must match the file name`)
      }
      all.set(scenario.name, scenario)
    }
  }
  return all
}
