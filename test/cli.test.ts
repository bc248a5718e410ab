import t from 'tap'
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connect, createServer, type AddressInfo } from 'node:net'
import { once } from 'node:events'
import { readConfig } from '../dist/cli.js'
import { packageRoot } from '../dist/paths.js'
import { basic, tokenRequest } from './helpers/data.js'
import { binJs, freePort, runCli, startServer, stop } from './helpers/spawn.js'

// The server as a process: the bundle users run (bin), its exit codes, messages and signals.
// runCli and most starts run the bundle; the two tests that stop a listening server by a signal
// (SIGTERM's exit 0, and non-zero when the last save fails) start dist/server.js under tap's coverage
// loader, the only place cli.ts's signal handling runs. The other exits are run in-process through
// main() as well, where their coverage is counted (test/in-process/cli-config.test.ts).
// Each subtest starts its own servers on ports the kernel picks: they run side by side.
t.jobs = 4

t.test('defaults: 127.0.0.1:4545, 60-minute authorizations, open auth', async (t) => {
  const c = readConfig([], {})
  t.equal(c.port, 4545)
  t.equal(c.host, '127.0.0.1')
  t.equal(c.options.authorizationLifetimeSeconds, undefined)
  t.equal(c.options.credentials, null)
})

t.test('environment and flags; flags win', async (t) => {
  const env = {
    PORT: '5000',
    HOST: '0.0.0.0',
    KLARNA_MOCK_AUTHORIZATION_LIFETIME: '60',
    KLARNA_MOCK_CREDENTIALS: 'a:b, c:d',
  }
  const c = readConfig([], env)
  t.equal(c.port, 5000)
  t.equal(c.host, '0.0.0.0')
  t.equal(c.options.authorizationLifetimeSeconds, 60)
  t.same(
    [...(c.options.credentials ?? new Map())],
    [
      ['a', 'b'],
      ['c', 'd'],
    ],
  )
  const f = readConfig(['--port', '0', '--host', '::1', '--authorization-lifetime', '7200'], env)
  t.equal(f.port, 0)
  t.equal(f.host, '::1')
  t.equal(f.options.authorizationLifetimeSeconds, 7200)
})

t.test('bad flags and values are refused clearly', async (t) => {
  t.throws(() => readConfig(['--prot', '1'], {}), /Unknown option '--prot'/)
  t.throws(() => readConfig(['--port', 'abc'], {}), /--port must be a whole number/)
  t.throws(() => readConfig(['--port', '70000'], {}), /--port must be between 0 and 65535/)
  t.throws(() => readConfig(['--authorization-lifetime', '0'], {}), /between 1/)
  t.throws(
    () => readConfig(['--unauthorized-body', 'xml'], {}),
    /--unauthorized-body must be one of json, html; got "xml"/,
  )
  t.throws(
    () => readConfig(['--log-level', 'loud'], {}),
    /--log-level must be one of fatal, error, warn, info, debug, trace, silent; got "loud"/,
  )
  t.throws(() => readConfig(['--callbacks', 'maybe'], {}), /--callbacks must be one of on, off; got "maybe"/)
  t.same(readConfig([], { KLARNA_MOCK_CALLBACKS: 'off' }).options.callbacks, { enabled: false })
  t.equal(readConfig([], { KLARNA_MOCK_UNAUTHORIZED_BODY: 'html' }).options.unauthorizedBody, 'html')
  t.throws(() => readConfig([], { KLARNA_MOCK_CREDENTIALS: 'nopassword' }), /expected username:password/)
  t.throws(() => readConfig(['--credentials-file', '/nonexistent/creds'], {}), /credentials: cannot|ENOENT/)
  const r = await runCli(['--bogus'])
  t.equal(r.code, 2)
  t.match(r.stderr, /klarna-mock: Unknown option '--bogus'/)
})

t.test(
  '--port 0 takes a free port and logs one line naming the URL, then one JSON line per request with the correlation id and never the credentials; SIGTERM exits 0',
  async (t) => {
    const s = await startServer(['--port', '0'], { LOG_LEVEL: 'info' })
    t.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/)
    t.equal(
      s
        .output()
        .split('\n')
        .filter((l) => l.includes('listening on')).length,
      1,
    )
    const res = await fetch(`${s.url}/_mock/health`)
    t.equal(res.status, 200)
    const minted = await fetch(`${s.url}/_mock/authorizations`, {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/json' },
      body: '{}',
    })
    t.equal(minted.status, 200)
    const unknown = await fetch(`${s.url}/customer-token/v1/tokens/x`, {
      headers: { authorization: basic('merchant-a', 'TopSecret') },
    })
    const id = unknown.headers.get('klarna-correlation-id') ?? ''
    // A connection with no request, as a browser opens one ahead of need, does not hold the shutdown.
    const preconnected = connect(Number(new URL(s.url).port), '127.0.0.1')
    preconnected.on('error', () => {})
    await once(preconnected, 'connect')
    t.equal(await stop(s.child), 0)
    preconnected.destroy()
    const lines = s
      .output()
      .split('\n')
      .filter((l) => l.includes(id))
    t.equal(lines.length, 1, 'one line for the request')
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>
    t.match(line, {
      correlation_id: id,
      method: 'GET',
      status: 404,
      merchant: 'merchant-a',
      msg: new RegExp(`^GET /customer-token/v1/tokens/x 404 \\d+ms merchant=merchant-a ${id}$`),
    })
    t.notOk('reqId' in line, 'the correlation id is not repeated as reqId')
    t.notMatch(s.output(), /TopSecret|bWVyY2hhbnQtYTpUb3BTZWNyZXQ/)
  },
)

t.test('PORT from the environment', async (t) => {
  // The probe frees a port the kernel chose; a server another subtest starts meanwhile may take it
  // before this one listens. Then try again with a new port: what is tested is only that PORT is read.
  for (let attempt = 1; ; attempt++) {
    const port = String(await freePort())
    try {
      const s = await startServer([], { PORT: port }, binJs)
      t.equal(new URL(s.url).port, port)
      await stop(s.child)
      return
    } catch (err) {
      if (attempt === 5 || !/already in use/.test(String(err))) throw err
    }
  }
})

t.test('a broken scenario file stops start-up with a message naming the file and the field', async (t) => {
  const dir = t.testdir()
  writeFileSync(
    join(dir, 'broken.yaml'),
    'name: broken\ndescription: x\napplies_to: [createOrder]\nerror: {status: "teapot", error_code: X, error_messages: []}\n',
  )
  const r = await runCli(['--port', '0', '--scenarios', dir])
  t.equal(r.code, 1)
  t.match(r.stderr, /cannot start: .*broken\.yaml: error\.status/)
})

t.test('--help and --version', async (t) => {
  const help = await runCli(['--help'])
  t.equal(help.code, 0)
  for (const flag of [
    '--callbacks',
    '--unauthorized-body',
    '--port',
    '--host',
    '--public-url',
    '--authorization-lifetime',
    '--credentials-file',
    '--scenarios',
    '--state-file',
    '--journal-limit',
    '--log-level',
    '--tokenization-rules',
  ]) {
    t.match(help.stdout, flag)
  }
  const v = await runCli(['--version'])
  t.equal(v.code, 0)
  t.match(v.stdout, /^\d+\.\d+\.\d+\n$/)
})

t.test('a taken port: non-zero exit and a clear message', async (t) => {
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => taken.close(resolve)))
  const port = String((taken.address() as AddressInfo).port)
  const second = await runCli(['--port', port])
  t.equal(second.code, 1)
  t.match(second.stderr, `klarna-mock: cannot listen: port ${port} on 127.0.0.1 is already in use`)
})

t.test(
  '--state-file keeps customer tokens across a SIGTERM and a restart, and a change made just before a SIGKILL; a damaged file is refused',
  async (t) => {
    // The bundle, as users start it (cheaper to start under tap: see helpers/spawn.ts); the
    // in-process state-file tests cover the persistence code itself, the crash test the SIGKILL under load.
    const dir = t.testdir()
    const file = join(dir, 'state.json')
    const headers = { authorization: basic(), 'content-type': 'application/json' }
    const one = await startServer(['--port', '0', '--state-file', file], {}, binJs)
    const auth = (
      (await (
        await fetch(`${one.url}/_mock/authorizations`, { method: 'POST', headers, body: '{}' })
      ).json()) as { authorization_token: string }
    ).authorization_token
    const made = await fetch(`${one.url}/payments/v1/authorizations/${auth}/customer-token`, {
      method: 'POST',
      headers,
      body: JSON.stringify(tokenRequest({ description: 'x' })),
    })
    const tokenId = ((await made.json()) as { token_id: string }).token_id
    await fetch(`${one.url}/_mock/clock`, { method: 'POST', headers, body: '{"advance_seconds": 86400}' })
    t.equal(await stop(one.child), 0, 'SIGTERM: saved and exited 0')
    t.same(
      readdirSync(dir).sort(),
      ['state.json', 'state.json.log.1'],
      'the snapshot and its log; no temporary file left behind',
    )

    const two = await startServer(['--port', '0', '--state-file', file], {}, binJs)
    const read = await fetch(`${two.url}/customer-token/v1/tokens/${tokenId}`, { headers })
    t.equal(read.status, 200)
    t.same(await read.json(), { status: 'ACTIVE', payment_method_type: 'INVOICE' })
    const clock = (await (await fetch(`${two.url}/_mock/clock`, { headers })).json()) as { now: string }
    t.ok(Date.parse(clock.now) - Date.now() > 86000 * 1000, 'the virtual clock offset survived too')
    const minted = (await (
      await fetch(`${two.url}/_mock/authorizations`, { method: 'POST', headers, body: '{}' })
    ).json()) as { session_id: string }
    t.equal(await stop(two.child, 'SIGKILL'), null, 'killed: no chance to save on the way out')

    const three = await startServer(['--port', '0', '--state-file', file], {}, binJs)
    t.equal(
      (await fetch(`${three.url}/payments/v1/sessions/${minted.session_id}`, { headers })).status,
      200,
      'a change is in the file before it is answered, so even a killed server keeps it',
    )
    t.equal((await fetch(`${three.url}/customer-token/v1/tokens/${tokenId}`, { headers })).status, 200)
    t.equal(await stop(three.child), 0)

    writeFileSync(file, '{"format": "klarna-mock-state", "version": 1, "merchants": [')
    const damaged = await runCli(['--port', '0', '--state-file', file])
    t.equal(damaged.code, 1)
    t.match(damaged.stderr, /cannot start: damaged state file: .*state\.json: line 1: not JSON/)
    t.equal(
      readFileSync(file, 'utf8'),
      '{"format": "klarna-mock-state", "version": 1, "merchants": [',
      'not overwritten',
    )
  },
)

t.test("the package's bin is the server bundled into one file, and answers as the server does", async (t) => {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
    bin: Record<string, string>
    version: string
  }
  t.equal(join(packageRoot, pkg.bin['klarna-mock'] ?? ''), binJs)
  t.match(readFileSync(binJs, 'utf8'), /^#!\/usr\/bin\/env node\n/, 'runs as a command')
  t.equal((await runCli(['--version'])).stdout, `${pkg.version}\n`)

  const s = await startServer(['--port', '0'], {}, binJs)
  t.teardown(() => stop(s.child))
  const headers = { authorization: basic(), 'content-type': 'application/json' }
  const get = async (path: string, extra: Record<string, string> = {}) =>
    await fetch(`${s.url}${path}`, { headers: { ...headers, ...extra } })
  // What the bundle leaves to node_modules or reads from the package: Swagger UI's static files,
  // the SDK stand-in, the scenario files, the QR code of a hosted payment page.
  const docs = await get('/_mock/docs/static/swagger-ui.css')
  t.equal(docs.status, 200, 'the docs page serves its static files')
  t.match(await (await get('/_mock/docs')).text(), /swagger-ui/i)
  const sdk = await get('/kp/lib/v1/api.js')
  t.equal(sdk.status, 200)
  t.match(await sdk.text(), /Klarna/)
  const forced = await get('/customer-token/v1/tokens/x', {
    'klarna-mock-scenario': 'invalid-customer-token',
  })
  t.match(
    await forced.json(),
    { error_code: 'NOT_FOUND', error_messages: ['Invalid customer-token ID'] },
    'a shipped scenario file applies',
  )

  const minted = (await (
    await fetch(`${s.url}/_mock/authorizations`, { method: 'POST', headers, body: '{}' })
  ).json()) as { authorization_token: string; session_id: string }
  const made = await fetch(
    `${s.url}/payments/v1/authorizations/${minted.authorization_token}/customer-token`,
    {
      method: 'POST',
      headers,
      body: JSON.stringify(tokenRequest()),
    },
  )
  t.equal(made.status, 200, 'a customer token')
  const hpp = (await (
    await fetch(`${s.url}/hpp/v1/sessions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        payment_session_url: `https://api.klarna.com/payments/v1/sessions/${minted.session_id}`,
      }),
    })
  ).json()) as { qr_code_url: string }
  const qr = await get(new URL(hpp.qr_code_url).pathname + new URL(hpp.qr_code_url).search)
  t.equal(qr.headers.get('content-type'), 'image/svg+xml', 'a QR code (qrcode, loaded when first asked for)')
})

t.test('a state file that cannot be written: exit 1, naming the path', async (t) => {
  const dir = t.testdir()
  const cli = await runCli(['--port', '0', '--state-file', join(dir, 'no-such-folder', 'state.json')])
  t.equal(cli.code, 1)
  t.match(cli.stderr, /cannot start: .*no-such-folder\/state\.json: cannot write the state file/)
})

t.test(
  'a write that fails answers 503, and the server exits non-zero when its last save fails',
  async (t) => {
    const dir = t.testdir()
    // The log segment is the full device: every write to it fails with ENOSPC.
    symlinkSync('/dev/full', join(dir, 'state.json.log.1'))
    const s = await startServer(['--port', '0', '--state-file', join(dir, 'state.json')])
    const res = await fetch(`${s.url}/_mock/authorizations`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('m:p').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: '{}',
    })
    t.equal(res.status, 503)
    t.match(await res.json(), {
      error_code: 'SERVICE_UNAVAILABLE',
      error_messages: [/could not write its state file/],
      correlation_id: res.headers.get('klarna-correlation-id'),
    })
    t.not(await stop(s.child), 0, 'SIGTERM: the final save failed, so the exit code says so')
    t.match(s.output(), /could not write the state file/)
  },
)
