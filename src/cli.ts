import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { defaults, parseCredentials, type ResolvedOptions } from './config.js'
import { version } from './paths.js'

/**
 * The entry point: reads flags and environment, builds the app, listens, and stops cleanly on
 * SIGTERM/SIGINT. Flags win over environment variables.
 */

const help = `klarna-mock: an offline, stateful stand-in for Klarna's Payments API v1 and Customer Token API v1

Usage: klarna-mock [options]

Options (environment variable in brackets):
  --port N                     port to listen on, 0 for a free one [PORT] (default ${defaults.port})
  --host ADDR                  address to listen on [HOST] (default ${defaults.host})
  --public-url URL             base URL of the links the mock hands out [KLARNA_MOCK_PUBLIC_URL]
                               (default: the host each request came to)
  --authorization-lifetime S   authorization-token lifetime in seconds [KLARNA_MOCK_AUTHORIZATION_LIFETIME]
                               (default ${defaults.authorizationLifetimeSeconds})
  --credentials-file FILE      only accept these Basic credentials, one username:password a line
                               [KLARNA_MOCK_CREDENTIALS_FILE]
                               (or KLARNA_MOCK_CREDENTIALS="user:pass,user2:pass2")
  --tokenization-rules FILE    (country x payment method) tokenization rules [KLARNA_MOCK_TOKENIZATION_RULES]
                               (default fixtures/tokenization-rules.json)
  --scenarios DIR              also load the scenario files of DIR (repeatable; a file with a shipped
                               name replaces it) [KLARNA_MOCK_SCENARIOS, folders separated by ':']
  --fidelity MODE              where Klarna's sources disagree: recorded (what the real service answered)
                               or documented (what Klarna's docs say) [KLARNA_MOCK_FIDELITY] (default recorded)
  --admin-credentials U:P      the operator: may reset, read and move the clock of every merchant through
                               /_mock with ?merchant=NAME or * [KLARNA_MOCK_ADMIN_CREDENTIALS]
  --link-secret SECRET         signs redirect_url links; give every replica the same one
                               [KLARNA_MOCK_LINK_SECRET] (default: random per process)
  --rate-limits PROFILE        Klarna's rate limits per merchant, 429 beyond: off, playground (5/s for
                               sessions and customer tokens, 50/s others) or production (40/200)
                               [KLARNA_MOCK_RATE_LIMITS] (default off)
  --unauthorized-body STYLE    the 401 alone: html (the real playground's page) or json (Klarna's docs)
                               [KLARNA_MOCK_UNAUTHORIZED_BODY] (default: as --fidelity says)
  --callbacks on|off           send Klarna's callbacks to merchant_urls.authorization and .notification
                               [KLARNA_MOCK_CALLBACKS] (default on)
  --state-file FILE            keep state in FILE (and its change log FILE.log.N) across restarts and
                               crashes [KLARNA_MOCK_STATE_FILE]
  --durability MODE            write: each change is in the state file before it is answered (survives
                               kill -9) and on disk within 100 ms; fsync: on disk before it is answered
                               (survives power loss) [KLARNA_MOCK_DURABILITY] (default write)
  --request-timeout S          seconds for a request's headers and body to arrive, then 408
                               [KLARNA_MOCK_REQUEST_TIMEOUT] (default ${defaults.requestTimeoutSeconds})
  --journal-limit N            requests kept by GET /_mock/requests, 0 = off [KLARNA_MOCK_JOURNAL_LIMIT] (default 1000)
  --fast-lane on|off           answer plain token reads and customer-token creation without Fastify's
                               per-request hooks (the same answers) [KLARNA_MOCK_FAST_LANE] (default on)
  --log-level LEVEL            fatal, error, warn, info, debug, trace or silent [LOG_LEVEL] (default info)
                               LOG_FORMAT=json: JSON lines even on a terminal (default: one readable
                               line per request on a terminal, JSON lines otherwise)
  -h, --help                   print this help
  -v, --version                print the version
`

export class UsageError extends Error {}

/**
 * On a terminal, one line per request: the request log's message already reads "POST /path 200
 * 3ms merchant=… scenario=… <correlation id>" (src/http/housekeeping.ts), so its fields are not
 * repeated. Other lines (start-up, errors) keep pino-pretty's form, without pid and host.
 */
export const prettyLines = {
  translateTime: 'HH:MM:ss.l',
  ignore: 'pid,hostname,correlation_id,method,url,status,ms,merchant,scenario',
  singleLine: true,
}

function integer(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${name} must be a whole number, got "${value}"`)
  const n = Number(value)
  if (n < min || n > max) throw new UsageError(`${name} must be between ${min} and ${max}, got ${n}`)
  return n
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${name} must be one of ${allowed.join(', ')}; got "${value}"`)
  }
  return value as T
}

export interface CliConfig {
  port: number
  host: string
  options: ResolvedOptions
  help: boolean
  version: boolean
}

/** Options that take a value: `--port -1` is read as the value -1, not as an unknown flag. */
const valued = [
  'port',
  'host',
  'public-url',
  'authorization-lifetime',
  'credentials-file',
  'tokenization-rules',
  'log-level',
  'scenarios',
  'state-file',
  'callbacks',
  'unauthorized-body',
  'fidelity',
  'rate-limits',
  'admin-credentials',
  'link-secret',
  'journal-limit',
  'fast-lane',
  'durability',
  'request-timeout',
]

function joinValues(argv: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const next = argv[i + 1]
    if (
      arg.startsWith('--') &&
      !arg.includes('=') &&
      valued.includes(arg.slice(2)) &&
      next !== undefined &&
      next.startsWith('-')
    ) {
      out.push(`${arg}=${next}`)
      i++
    } else out.push(arg)
  }
  return out
}

export function readConfig(argv: string[], env: NodeJS.ProcessEnv): CliConfig {
  let parsed
  try {
    parsed = parseArgs({
      args: joinValues(argv),
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'public-url': { type: 'string' },
        'authorization-lifetime': { type: 'string' },
        'credentials-file': { type: 'string' },
        'tokenization-rules': { type: 'string' },
        'log-level': { type: 'string' },
        scenarios: { type: 'string', multiple: true },
        'state-file': { type: 'string' },
        callbacks: { type: 'string' },
        'unauthorized-body': { type: 'string' },
        fidelity: { type: 'string' },
        'rate-limits': { type: 'string' },
        'admin-credentials': { type: 'string' },
        'link-secret': { type: 'string' },
        'journal-limit': { type: 'string' },
        'fast-lane': { type: 'string' },
        durability: { type: 'string' },
        'request-timeout': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const v = parsed.values
  /** Which name to blame for a bad value: the flag when given, else the environment variable. */
  const named = (flag: keyof typeof v, variable: string) => (v[flag] !== undefined ? `--${flag}` : variable)
  const port = integer(named('port', 'PORT'), v.port ?? env.PORT ?? String(defaults.port), 0, 65535)
  const host = v.host ?? env.HOST ?? defaults.host
  const lifetime = v['authorization-lifetime'] ?? env.KLARNA_MOCK_AUTHORIZATION_LIFETIME
  const credentialsFile = v['credentials-file'] ?? env.KLARNA_MOCK_CREDENTIALS_FILE
  let credentials: Map<string, string> | null = null
  try {
    if (credentialsFile !== undefined && credentialsFile !== '') {
      credentials = parseCredentials(readFileSync(credentialsFile, 'utf8'), 'file')
    } else if (env.KLARNA_MOCK_CREDENTIALS !== undefined && env.KLARNA_MOCK_CREDENTIALS !== '') {
      credentials = parseCredentials(env.KLARNA_MOCK_CREDENTIALS, 'env')
    }
  } catch (err) {
    throw new UsageError(`credentials: ${(err as Error).message}`)
  }
  if (credentials?.size === 0) throw new UsageError('credentials: the list is empty')
  const level = oneOf(named('log-level', 'LOG_LEVEL'), v['log-level'] ?? env.LOG_LEVEL ?? 'info', [
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ])
  const rules = v['tokenization-rules'] ?? env.KLARNA_MOCK_TOKENIZATION_RULES
  const publicUrl = v['public-url'] ?? env.KLARNA_MOCK_PUBLIC_URL
  if (publicUrl !== undefined && publicUrl !== '' && !/^https?:\/\/[^/]+/.test(publicUrl)) {
    throw new UsageError(`--public-url must be an http(s) URL, got "${publicUrl}"`)
  }
  const unauthorizedText = v['unauthorized-body'] ?? env.KLARNA_MOCK_UNAUTHORIZED_BODY
  const unauthorizedBody =
    unauthorizedText === undefined
      ? undefined
      : oneOf(named('unauthorized-body', 'KLARNA_MOCK_UNAUTHORIZED_BODY'), unauthorizedText, ['json', 'html'])
  const adminText = v['admin-credentials'] ?? env.KLARNA_MOCK_ADMIN_CREDENTIALS
  let admin: { username: string; password: string } | undefined
  if (adminText !== undefined && adminText !== '') {
    const i = adminText.indexOf(':')
    if (i <= 0 || i === adminText.length - 1) {
      throw new UsageError('--admin-credentials must be username:password')
    }
    admin = { username: adminText.slice(0, i), password: adminText.slice(i + 1) }
    if (credentials?.has(admin.username) === true) {
      throw new UsageError(
        `--admin-credentials: "${admin.username}" is also a merchant of the credentials list`,
      )
    }
  }
  const linkSecret = v['link-secret'] ?? env.KLARNA_MOCK_LINK_SECRET
  const rateLimits = oneOf(
    named('rate-limits', 'KLARNA_MOCK_RATE_LIMITS'),
    v['rate-limits'] ?? env.KLARNA_MOCK_RATE_LIMITS ?? 'off',
    ['off', 'playground', 'production'],
  )
  const fidelity = oneOf(
    named('fidelity', 'KLARNA_MOCK_FIDELITY'),
    v.fidelity ?? env.KLARNA_MOCK_FIDELITY ?? 'recorded',
    ['recorded', 'documented'],
  )
  const callbacks = oneOf(
    named('callbacks', 'KLARNA_MOCK_CALLBACKS'),
    v.callbacks ?? env.KLARNA_MOCK_CALLBACKS ?? 'on',
    ['on', 'off'],
  )
  const stateFile = v['state-file'] ?? env.KLARNA_MOCK_STATE_FILE
  const journalLimit = v['journal-limit'] ?? env.KLARNA_MOCK_JOURNAL_LIMIT
  const durability = oneOf(
    named('durability', 'KLARNA_MOCK_DURABILITY'),
    v.durability ?? env.KLARNA_MOCK_DURABILITY ?? 'write',
    ['write', 'fsync'],
  )
  const requestTimeout = v['request-timeout'] ?? env.KLARNA_MOCK_REQUEST_TIMEOUT
  const fastLane = oneOf(
    named('fast-lane', 'KLARNA_MOCK_FAST_LANE'),
    v['fast-lane'] ?? env.KLARNA_MOCK_FAST_LANE ?? 'on',
    ['on', 'off'],
  )
  const scenarioDirs = v.scenarios ?? (env.KLARNA_MOCK_SCENARIOS ?? '').split(':').filter((d) => d !== '')
  return {
    port,
    host,
    help: v.help === true,
    version: v.version === true,
    options: {
      ...(lifetime === undefined
        ? {}
        : {
            authorizationLifetimeSeconds: integer(
              named('authorization-lifetime', 'KLARNA_MOCK_AUTHORIZATION_LIFETIME'),
              lifetime,
              1,
              10 * 365 * 24 * 3600,
            ),
          }),
      credentials,
      publicBaseUrl: publicUrl === '' ? undefined : publicUrl,
      ...(scenarioDirs.length === 0 ? {} : { scenarioDirs }),
      fidelity,
      rateLimits,
      ...(admin === undefined ? {} : { admin }),
      ...(linkSecret === undefined || linkSecret === '' ? {} : { linkSecret }),
      ...(unauthorizedBody === undefined ? {} : { unauthorizedBody }),
      callbacks: { enabled: callbacks === 'on' },
      fastLane: fastLane === 'on',
      ...(stateFile === undefined || stateFile === '' ? {} : { stateFile, durability }),
      ...(requestTimeout === undefined
        ? {}
        : {
            requestTimeoutSeconds: integer(
              named('request-timeout', 'KLARNA_MOCK_REQUEST_TIMEOUT'),
              requestTimeout,
              1,
              3600,
            ),
          }),
      ...(journalLimit === undefined
        ? {}
        : {
            journalLimit: integer(
              named('journal-limit', 'KLARNA_MOCK_JOURNAL_LIMIT'),
              journalLimit,
              0,
              1000000,
            ),
          }),
      // JSON lines by default; readable lines when a person is watching a terminal; no logger at
      // all when nothing is to be written (pino is then not even loaded: a start 25 ms sooner).
      logger:
        level === 'silent'
          ? false
          : {
              level,
              redact: ['req.headers.authorization'],
              ...(process.stdout.isTTY && env.LOG_FORMAT !== 'json'
                ? { transport: { target: 'pino-pretty', options: prettyLines } }
                : {}),
            },
      ...(rules === undefined || rules === '' ? {} : { catalogFiles: { tokenizationRules: rules } }),
    },
  }
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  let config: CliConfig
  try {
    config = readConfig(argv, env)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`klarna-mock: ${err.message}\nRun klarna-mock --help for the options.\n`)
    process.exitCode = 2
    return
  }
  if (config.help) {
    process.stdout.write(help)
    return
  }
  if (config.version) {
    process.stdout.write(`${version}\n`)
    return
  }

  let app
  let warmUpAfterFirstAnswer
  try {
    // Loaded here, not at the top: --help, --version and a refused flag answer without loading the server.
    const loaded = await import('./app.js')
    warmUpAfterFirstAnswer = loaded.warmUpAfterFirstAnswer
    app = await loaded.buildApp(config.options)
  } catch (err) {
    process.stderr.write(`klarna-mock: cannot start: ${(err as Error).message}\n`)
    process.exitCode = 1
    return
  }
  try {
    const address = await app.listen({
      port: config.port,
      host: config.host,
      listenTextResolver: (addr) =>
        `klarna-mock listening on ${addr} (docs ${addr}/_mock/docs, dashboard ${addr}/_mock/ui)`,
    })
    if (config.options.publicBaseUrl === undefined) {
      app.log.debug(`links use the request host (set --public-url to change), e.g. ${address}`)
    }
    // Answering already; what no call has compiled yet is compiled between requests, once the
    // first answer has left (src/app.ts).
    warmUpAfterFirstAnswer(app)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const why =
      e.code === 'EADDRINUSE' ? `port ${config.port} on ${config.host} is already in use` : e.message
    process.stderr.write(`klarna-mock: cannot listen: ${why}\n`)
    await app.close()
    process.exitCode = 1
    return
  }
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info(`${signal} received, closing`)
    app.close().then(
      () => {
        process.exitCode = 0
      },
      (err: unknown) => {
        process.stderr.write(`klarna-mock: error while closing: ${(err as Error).message}\n`)
        process.exitCode = 1
      },
    )
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
}
