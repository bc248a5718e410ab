import t from 'tap'
import { Writable } from 'node:stream'
import pretty from 'pino-pretty'
import { buildApp } from '../../dist/app.js'
import { prettyLines, readConfig, UsageError } from '../../dist/cli.js'
import { basic } from '../helpers/app.js'

/** The CLI's reading of flags and environment, in-process (test/cli.test.ts spawns the real thing). */

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
