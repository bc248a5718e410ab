import t from 'tap'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * test/build-if-stale.mjs (tap's `before`): run in a copy of the project's shape whose `build`
 * script only leaves a mark, so that what is tested is the decision to build, in seconds.
 */
t.test('the tests build dist/ first when it is missing or older than src/, and only then', async (t) => {
  const root = t.testdir({
    'package.json': JSON.stringify({
      name: 'stale-check',
      private: true,
      scripts: { build: "node -e \"require('fs').writeFileSync('built', 'yes')\"" },
    }),
    src: { 'app.ts': 'export {}\n' },
    scripts: { 'bundle.mjs': '' },
    'tsconfig.json': '{}',
    'tsconfig.build.json': '{}',
    test: {},
  })
  copyFileSync(
    join(import.meta.dirname, '..', 'build-if-stale.mjs'),
    join(root, 'test', 'build-if-stale.mjs'),
  )
  const run = () => {
    rmSync(join(root, 'built'), { force: true })
    const { status, stderr } = spawnSync(process.execPath, [join(root, 'test', 'build-if-stale.mjs')], {
      encoding: 'utf8',
    })
    return { status, built: existsSync(join(root, 'built')), stderr }
  }
  const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds)

  t.match(
    run(),
    { status: 0, built: true, stderr: /dist\/ is older than src\/: npm run build/ },
    'no dist/: builds',
  )

  mkdirSync(join(root, 'dist'))
  writeFileSync(join(root, 'dist', 'klarna-mock.mjs'), '')
  for (const file of ['src/app.ts', 'scripts/bundle.mjs', 'tsconfig.json', 'tsconfig.build.json']) {
    at(file, 1000)
  }
  at('dist/klarna-mock.mjs', 2000)
  t.match(run(), { status: 0, built: false, stderr: '' }, 'dist/ newer than every source: nothing to do')

  at('src/app.ts', 3000)
  t.match(run(), { status: 0, built: true }, 'a source edited since: builds')
  at('src/app.ts', 1000)
  at('tsconfig.build.json', 3000)
  t.match(run(), { status: 0, built: true }, 'the build configuration changed: builds')
})
