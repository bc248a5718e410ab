import t from 'tap'
import { readConfig } from '../src/cli.js'
import { runCli, startServer, stop } from './helpers/spawn.js'
import { basic } from './helpers/app.js'

t.test('defaults: 127.0.0.1:4545, 60-minute authorizations, open auth', async t => {
  const c = readConfig([], {})
  t.equal(c.port, 4545)
  t.equal(c.host, '127.0.0.1')
  t.equal(c.options.authorizationLifetimeSeconds, undefined)
  t.equal(c.options.credentials, null)
})

t.test('environment and flags; flags win', async t => {
  const env = { PORT: '5000', HOST: '0.0.0.0', KLARNA_MOCK_AUTHORIZATION_LIFETIME: '60', KLARNA_MOCK_CREDENTIALS: 'a:b, c:d' }
  const c = readConfig([], env)
  t.equal(c.port, 5000)
  t.equal(c.host, '0.0.0.0')
  t.equal(c.options.authorizationLifetimeSeconds, 60)
  t.same([...(c.options.credentials ?? new Map())], [['a', 'b'], ['c', 'd']])
  const f = readConfig(['--port', '0', '--host', '::1', '--authorization-lifetime', '7200'], env)
  t.equal(f.port, 0)
  t.equal(f.host, '::1')
  t.equal(f.options.authorizationLifetimeSeconds, 7200)
})

t.test('bad flags and values are refused clearly', async t => {
  t.throws(() => readConfig(['--prot', '1'], {}), /Unknown option '--prot'/)
  t.throws(() => readConfig(['--port', 'abc'], {}), /--port must be a whole number/)
  t.throws(() => readConfig(['--port', '70000'], {}), /--port must be between 0 and 65535/)
  t.throws(() => readConfig(['--authorization-lifetime', '0'], {}), /between 1/)
  t.throws(() => readConfig([], { KLARNA_MOCK_CREDENTIALS: 'nopassword' }), /expected username:password/)
  t.throws(() => readConfig(['--credentials-file', '/nonexistent/creds'], {}), /credentials: cannot|ENOENT/)
  const r = await runCli(['--bogus'])
  t.equal(r.code, 2)
  t.match(r.stderr, /klarna-mock: Unknown option '--bogus'/)
})

t.test('--port 0 takes a free port and logs one line naming the URL; SIGTERM exits 0', async t => {
  const s = await startServer(['--port', '0'])
  t.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(s.output().split('\n').filter(l => l.includes('listening on')).length, 1)
  const res = await fetch(`${s.url}/_mock/health`)
  t.equal(res.status, 200)
  const minted = await fetch(`${s.url}/_mock/authorizations`, { method: 'POST', headers: { authorization: basic(), 'content-type': 'application/json' }, body: '{}' })
  t.equal(minted.status, 200)
  t.equal(await stop(s.child), 0)
})

t.test('PORT from the environment', async t => {
  const probe = await startServer(['--port', '0'])
  const port = new URL(probe.url).port
  await stop(probe.child)
  const s = await startServer([], { PORT: port })
  t.equal(new URL(s.url).port, port)
  await stop(s.child)
})

t.test('a broken scenario file stops start-up with a message naming the file and the field', async t => {
  const { mkdtempSync, writeFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  const { tmpdir } = await import('node:os')
  const dir = mkdtempSync(join(tmpdir(), 'km-cli-'))
  writeFileSync(join(dir, 'broken.yaml'), 'name: broken\ndescription: x\napplies_to: [createOrder]\nerror: {status: "teapot", error_code: X, error_messages: []}\n')
  const r = await runCli(['--port', '0', '--scenarios', dir])
  t.equal(r.code, 1)
  t.match(r.stderr, /cannot start: .*broken\.yaml: error\.status/)
})
