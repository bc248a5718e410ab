import t from 'tap'
import { readFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import pretty from 'pino-pretty'
import { buildApp } from '../../dist/app.js'
import { main, prettyLines, readConfig, UsageError } from '../../dist/cli.js'
import { version } from '../../dist/paths.js'
import { basic } from '../helpers/app.js'

/**
 * The CLI in-process: its reading of flags and environment, and `main()` up to the point where a
 * server would be listening. test/cli.test.ts starts the real thing as a process, the bundle users
 * run, for the same exits; the two runs it makes of the server module by module (under tap's coverage
 * loader) are the ones that need a process: a listening server stopped by a signal.
 */

const usage = (argv: string[], env: NodeJS.ProcessEnv = {}): string => {
  try {
    readConfig(argv, env)
  } catch (e) {
    if (e instanceof UsageError) return e.message
    throw e
  }
  return 'no error'
}

t.test('a bad value names what was wrong: the flag, or the environment variable', async (t) => {
  t.equal(
    usage(['--port', '-1']),
    '--port must be a whole number, got "-1"',
    'a negative port is a bad value, not an ambiguous argument',
  )
  t.equal(usage([], { PORT: 'abc' }), 'PORT must be a whole number, got "abc"')
  t.equal(usage(['--port', 'abc'], { PORT: '1' }), '--port must be a whole number, got "abc"')
  t.equal(
    usage([], { KLARNA_MOCK_JOURNAL_LIMIT: '-5' }),
    'KLARNA_MOCK_JOURNAL_LIMIT must be a whole number, got "-5"',
  )
  t.equal(
    usage([], { KLARNA_MOCK_FIDELITY: 'exact' }),
    'KLARNA_MOCK_FIDELITY must be one of recorded, documented; got "exact"',
  )
  t.equal(usage(['--fidelity', 'exact']), '--fidelity must be one of recorded, documented; got "exact"')
  t.equal(
    usage([], { LOG_LEVEL: 'loud' }),
    'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud"',
  )
  t.match(usage(['--nope']), /Unknown option '--nope'/)
  t.equal(usage(['--port', '0']), 'no error')
})

t.test('on a terminal, one readable line per request', async (t) => {
  let out = ''
  const stream = pretty({
    ...prettyLines,
    colorize: false,
    sync: true,
    destination: new Writable({
      write(chunk: Buffer, _e, done) {
        out += chunk.toString()
        done()
      },
    }),
  })
  const app = await buildApp({ logger: { level: 'info', stream } })
  t.teardown(() => app.close())
  const res = await app.inject({
    url: '/customer-token/v1/tokens/x',
    headers: { authorization: basic('shop', 'pw'), 'klarna-mock-scenario': 'token-not-found' },
  })
  const id = res.headers['klarna-correlation-id'] as string
  const lines = out.split('\n').filter((l) => l.includes(id))
  t.equal(lines.length, 1)
  t.match(
    lines[0],
    new RegExp(
      `INFO.*: GET /customer-token/v1/tokens/x 404 \\d+ms merchant=shop scenario=token-not-found ${id}\\s*$`,
    ),
    JSON.stringify(lines[0]),
  )
})

t.test(
  '--log-level silent builds no logger at all; any other level a pino logger at that level',
  async (t) => {
    t.equal(readConfig(['--log-level', 'silent'], {}).options.logger, false)
    t.equal(readConfig([], { LOG_LEVEL: 'silent' }).options.logger, false)
    t.match(readConfig(['--log-level', 'warn'], {}).options.logger, {
      level: 'warn',
      redact: ['req.headers.authorization'],
    })
    const app = await buildApp(readConfig(['--log-level', 'silent'], {}).options)
    t.teardown(() => app.close())
    const res = await app.inject({ url: '/_mock/health' })
    t.equal(res.statusCode, 200, 'a server without a logger answers as any other')
    t.match(res.headers['klarna-correlation-id'], /^[0-9a-f-]{36}$/)
  },
)

/**
 * Runs the CLI's `main()` here, as `klarna-mock ARGS` would, and returns its exit code and what it
 * wrote to stderr (and to stdout, on the paths that return before any await: --help, --version).
 * Every call here ends before a server listens, so no signal handler is left behind.
 */
async function runMain(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' }
  const write = { stdout: process.stdout.write, stderr: process.stderr.write }
  const keep = (into: 'stdout' | 'stderr') =>
    ((chunk: string | Uint8Array) => {
      out[into] += String(chunk)
      return true
    }) as typeof process.stdout.write
  const exitCode = process.exitCode
  process.stderr.write = keep('stderr')
  // tap writes its own report to stdout: held only while main() runs without awaiting.
  process.stdout.write = keep('stdout')
  const done = main(argv, { LOG_LEVEL: 'silent', ...env })
  process.stdout.write = write.stdout
  try {
    await done
  } finally {
    process.stderr.write = write.stderr
  }
  const code = Number(process.exitCode ?? 0)
  process.exitCode = exitCode
  return { code, ...out }
}

t.test('main(): a refused flag exits 2; --help and --version print and exit 0', async (t) => {
  const refused = await runMain(['--bogus'])
  t.equal(refused.code, 2)
  t.match(
    refused.stderr,
    /^klarna-mock: Unknown option '--bogus'.*\nRun klarna-mock --help for the options\.\n$/,
  )
  const help = await runMain(['--help'])
  t.equal(help.code, 0)
  t.match(help.stdout, /^klarna-mock: an offline, stateful stand-in/)
  t.match(help.stdout, '--state-file')
  t.same(await runMain(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' })
})

t.test('main(): what stops start-up exits 1 with one line naming the cause', async (t) => {
  const damagedState = '{"format": "klarna-mock-state", "version": 1, "merchants": ['
  const dir = t.testdir({
    scenarios: {
      'broken.yaml':
        'name: broken\ndescription: x\napplies_to: [createOrder]\nerror: {status: "teapot", error_code: X, error_messages: []}\n',
    },
    'state.json': damagedState,
  })
  const broken = await runMain(['--port', '0', '--scenarios', join(dir, 'scenarios')])
  t.equal(broken.code, 1)
  t.match(broken.stderr, /^klarna-mock: cannot start: .*broken\.yaml: error\.status.*\n$/)

  const damaged = await runMain(['--port', '0', '--state-file', join(dir, 'state.json')])
  t.equal(damaged.code, 1)
  t.match(
    damaged.stderr,
    /^klarna-mock: cannot start: damaged state file: .*state\.json: line 1: not JSON \(.*\)\. Fix or remove it; it was not changed\.\n$/,
  )
  t.equal(readFileSync(join(dir, 'state.json'), 'utf8'), damagedState, 'not overwritten')

  const unwritable = await runMain(['--port', '0', '--state-file', join(dir, 'no-such-folder', 'state.json')])
  t.equal(unwritable.code, 1)
  t.match(
    unwritable.stderr,
    /^klarna-mock: cannot start: .*no-such-folder\/state\.json: cannot write the state file/,
  )
})

t.test('main(): a taken port exits 1 naming port and host', async (t) => {
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => taken.close(resolve)))
  const port = String((taken.address() as AddressInfo).port)
  const dir = t.testdir()
  // With a state file: had main() not closed the app it built, its open log segment and timers
  // would keep this process from ending (tap would then time the file out).
  const r = await runMain(['--port', port, '--state-file', join(dir, 'state.json')])
  t.same(r, {
    code: 1,
    stdout: '',
    stderr: `klarna-mock: cannot listen: port ${port} on 127.0.0.1 is already in use\n`,
  })
})
