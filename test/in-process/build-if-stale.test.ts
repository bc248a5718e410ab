import t, { type Test } from 'tap'
import { spawn, spawnSync } from 'node:child_process'
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
import { buildIfStale } from '../build-if-stale.mjs'

/**
 * test/build-if-stale.mjs (which every test process runs first: test/loader/register.mjs), run in a
 * copy of the project's shape, with an `npm` first on the PATH that only leaves a mark (what it was
 * asked, and where), so that what is tested is the decision to build and the command it runs, in a
 * fraction of a second each.
 */
function projectCopy(t: Test): string {
  const root = t.testdir({
    // npm, found first on the PATH: it only writes down what it was asked to do and where.
    bin: { npm: '#!/bin/sh\necho "$* in $(pwd)" > built\n' },
    src: { 'app.ts': 'export {}\n' },
    scenarios: { 'teapot.yaml': 'name: teapot\n' },
    scripts: { 'bundle.mjs': '' },
    'tsconfig.json': '{}',
    'tsconfig.build.json': '{}',
    'package-lock.json': '{}',
    test: {},
  })
  copyFileSync(
    join(import.meta.dirname, '..', 'build-if-stale.mjs'),
    join(root, 'test', 'build-if-stale.mjs'),
  )
  chmodSync(join(root, 'bin', 'npm'), 0o755)
  return root
}

const scriptEnv = (root: string) => ({
  ...process.env,
  PATH: `${join(root, 'bin')}:${process.env.PATH ?? ''}`,
})

t.test('the tests build dist/ first when it is missing or older than src/, and only then', async (t) => {
  const root = projectCopy(t)
  // The check as each test process runs it (the next test runs it as a script, in a process).
  const run = () => {
    rmSync(join(root, 'built'), { force: true })
    let stderr = ''
    const status = buildIfStale(root, {
      env: scriptEnv(root),
      log: (line: string) => (stderr += `${line}\n`),
    })
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
    'package-lock.json',
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
  at('scenarios/teapot.yaml', 1000)
  at('package-lock.json', 3000)
  t.match(
    run(),
    { status: 0, built: `run build in ${root}` },
    'the dependencies changed (the bundle holds their code): builds',
  )
})

t.test(
  'two test processes at once: one builds, the other waits for it; a lock left by a killed build is taken over',
  async (t) => {
    const root = projectCopy(t)
    const lock = join(root, '.build-lock')
    const mark = join(root, 'built')
    // Another process (this one) holds the lock: the script waits, saying so, and builds nothing.
    mkdirSync(lock)
    writeFileSync(join(lock, 'pid'), String(process.pid))
    const [command, args] = withoutCoverageLoader([join(root, 'test', 'build-if-stale.mjs')])
    const child = spawn(command, args, { env: scriptEnv(root), stdio: ['ignore', 'ignore', 'pipe'] })
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    let stderr = ''
    // Its first line (or its end, if it ended without waiting: the assertions below then fail).
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        if (stderr.includes('\n')) resolve()
      })
      void exited.then(() => resolve())
    })
    t.equal(stderr, `dist/ is older than src/: waiting for the build of process ${process.pid}\n`)
    t.notOk(existsSync(mark), 'nothing built while the lock is held')
    // The holder is done (dist/ still stale, as after a failed build): the waiter builds.
    rmSync(lock, { recursive: true })
    t.equal(await exited, 0)
    t.equal(readFileSync(mark, 'utf8').trim(), `run build in ${root}`)
    t.notOk(existsSync(lock), 'the lock is gone after the build')

    // A lock whose process is gone (a build killed half-way): taken over at once.
    rmSync(mark)
    // Above the largest pid Linux can give (2^22): no such process.
    mkdirSync(lock)
    writeFileSync(join(lock, 'pid'), String(2 ** 22 + 1))
    const taken = spawnSync(command, args, { env: scriptEnv(root), encoding: 'utf8' })
    t.equal(taken.status, 0)
    t.equal(taken.stderr, 'dist/ is older than src/: npm run build\n')
    t.equal(readFileSync(mark, 'utf8').trim(), `run build in ${root}`)
    t.notOk(existsSync(lock))

    // A lock without its pid, ten seconds old (its taker died between making it and writing the
    // pid): taken over too.
    rmSync(mark)
    mkdirSync(lock)
    const past = Date.now() / 1000 - 20
    utimesSync(lock, past, past)
    let said = ''
    const status = buildIfStale(root, { env: scriptEnv(root), log: (line: string) => (said += `${line}\n`) })
    t.equal(status, 0)
    t.equal(said, 'dist/ is older than src/: npm run build\n', 'built at once, without waiting')
    t.equal(readFileSync(mark, 'utf8').trim(), `run build in ${root}`)
    t.notOk(existsSync(lock))
  },
)
