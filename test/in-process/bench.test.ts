import t from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { serverNodeFlags, startScriptFlags } from '../../scripts/node-flags.mjs'
import { withoutCoverageLoader } from '../helpers/spawn.js'

/**
 * The benchmark scripts are not run in CI (they measure, they do not assert), but they must keep
 * running as the code under them moves: a small memory run, a small run of the domain's loop, and
 * the refusals of the side-by-side script (no build given) and of the peers script (peers not
 * installed). `npm test` builds dist/ first.
 * They run without tap's coverage loader: bench/ is not the product, and what they reach of dist/
 * the other tests reach (the totals are the same without them), at about half the CPU.
 */
const root = join(import.meta.dirname, '..', '..')
const run = promisify(execFile)

t.test('bench/memory.mjs runs against the built package and prints bytes per stored object', async (t) => {
  const { stdout } = await run(...withoutCoverageLoader(['--expose-gc', 'bench/memory.mjs']), {
    cwd: root,
    env: { ...process.env, BENCH_OBJECTS: '200', BENCH_SETTLE_SECONDS: '0' },
  })
  t.match(
    stdout,
    /200 customer tokens and 200 unused authorizations: 400 sessions, 400 authorizations, 200 tokens/,
  )
  t.match(
    stdout,
    /idle again after 0 s: [+-][\d.]+ MB \(-?\d+ bytes per stored object\); right after the calls/,
  )
  t.match(stdout, /array buffers [+-][\d.]+ MB \(1000 objects\)/)
  t.ok(
    stdout.includes(`node flags: --expose-gc ${serverNodeFlags.join(' ')}\n`),
    "started without the server's Node flags, it ran itself again with them",
  )
})

t.test(
  'npm start and the Docker image run the server under the same Node flags, those measured',
  async (t) => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))?.[1]
    t.same(JSON.parse(entrypoint ?? 'null'), ['node', ...serverNodeFlags, 'dist/klarna-mock.mjs'])
    t.equal(
      pkg.scripts.start,
      ['node', ...serverNodeFlags, 'dist/klarna-mock.mjs'].join(' '),
      'the flags read are those of the start script',
    )
    t.same(
      startScriptFlags(' node  dist/klarna-mock.mjs --port 1'),
      [],
      'a start script without flags has none',
    )
    t.throws(
      () => startScriptFlags('tsx src/server.ts'),
      /the start script is not node FLAGS dist\/klarna-mock\.mjs/,
    )
  },
)

t.test(
  'bench/domain.mjs times the domain calls of a creation and a read, warm and cold, alone in a loop',
  async (t) => {
    const { stdout } = await run(...withoutCoverageLoader(['bench/domain.mjs']), {
      cwd: root,
      env: { ...process.env, BENCH_OBJECTS: '50', BENCH_ROUNDS: '3' },
    })
    t.match(stdout, /50 authorizations a round, 3 rounds, the median:/)
    for (const call of ['customer-token creation', 'token read']) {
      for (const cache of ['warm', 'cold']) {
        t.match(stdout, new RegExp(`${call}, ${cache} +[\\d.]+ µs \\(rounds: [\\d.]+, [\\d.]+, [\\d.]+\\)`))
      }
    }
  },
)

t.test('bench/side-by-side.mjs says how to call it when it is given no build to compare', async (t) => {
  // Its run itself (two servers started, minted for, loaded) is left out: about 7 s of the suite.
  const usage = await run(...withoutCoverageLoader(['bench/side-by-side.mjs']), {
    cwd: root,
    env: { ...process.env, BENCH_PINNED: '1' },
  }).catch((err: { code: number; stderr: string }) => err)
  t.match(usage, {
    code: 2,
    stderr: /usage: node bench\/side-by-side\.mjs \[--read\] \[--rounds N\] \[--requests N\] BUNDLE/,
  })
})

t.test('bench/peers.mjs says how to install the peers when they are missing', async (t) => {
  const failed = await run(...withoutCoverageLoader(['bench/peers.mjs']), {
    cwd: root,
    env: { ...process.env, PEERS_DIR: join(root, 'no-such-peers-dir'), BENCH_PINNED: '1' },
  }).catch((err: { code: number; stderr: string }) => err)
  t.match(failed, { code: 1, stderr: /not installed in .*no-such-peers-dir: prism, mockoon-cli, wiremock/ })
  t.match(failed, { stderr: /npm install --prefix .*@stoplight\/prism-cli@5 @mockoon\/cli@9 wiremock@3/ })
})
