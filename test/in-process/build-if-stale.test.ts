import t from 'tap'
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { withoutCoverageLoader } from '../helpers/spawn.js'

/**
 * test/build-if-stale.mjs (tap's `before`): run in a copy of the project's shape, with an `npm`
 * first on the PATH that only leaves a mark (what it was asked, and where), so that what is tested
 * is the decision to build and the command it runs, in a fraction of a second each.
 */
t.test('the tests build dist/ first when it is missing or older than src/, and only then', async (t) => {
  const root = t.testdir({
    // npm, found first on the PATH: it only writes down what it was asked to do and where.
    bin: { npm: '#!/bin/sh\necho "$* in $(pwd)" > built\n' },
    src: { 'app.ts': 'export {}\n' },
    scenarios: { 'teapot.yaml': 'name: teapot\n' },
    scripts: { 'bundle.mjs': '' },
    'tsconfig.json': '{}',
    'tsconfig.build.json': '{}',
    test: {},
  })
  copyFileSync(
    join(import.meta.dirname, '..', 'build-if-stale.mjs'),
    join(root, 'test', 'build-if-stale.mjs'),
  )
  chmodSync(join(root, 'bin', 'npm'), 0o755)
  const run = () => {
    rmSync(join(root, 'built'), { force: true })
    const { status, stderr } = spawnSync(
      ...withoutCoverageLoader([join(root, 'test', 'build-if-stale.mjs')]),
      {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH ?? ''}` },
      },
    )
    const mark = join(root, 'built')
    return { status, built: existsSync(mark) ? readFileSync(mark, 'utf8').trim() : false, stderr }
  }
  const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds)

  t.match(
    run(),
    { status: 0, built: `run build in ${root}`, stderr: /dist\/ is older than src\/: npm run build/ },
    'no dist/: builds',
  )

  mkdirSync(join(root, 'dist'))
  writeFileSync(join(root, 'dist', 'klarna-mock.mjs'), '')
  for (const file of [
    'src/app.ts',
    'scenarios/teapot.yaml',
    'scripts/bundle.mjs',
    'tsconfig.json',
    'tsconfig.build.json',
  ]) {
    at(file, 1000)
  }
  at('dist/klarna-mock.mjs', 2000)
  t.match(run(), { status: 0, built: false, stderr: '' }, 'dist/ newer than every source: nothing to do')

  at('src/app.ts', 3000)
  t.match(run(), { status: 0, built: `run build in ${root}` }, 'a source edited since: builds')
  at('src/app.ts', 1000)
  at('tsconfig.build.json', 3000)
  t.match(run(), { status: 0, built: `run build in ${root}` }, 'the build configuration changed: builds')
  at('tsconfig.build.json', 1000)
  at('scenarios/teapot.yaml', 3000)
  t.match(
    run(),
    { status: 0, built: `run build in ${root}` },
    'a scenario file edited since (the build parses them): builds',
  )
})
