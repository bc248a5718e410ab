import t from 'tap'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { pbkdf2 } from 'node:crypto'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../dist/app.js'
import { mintAuthorization } from '../../dist/domain/mint.js'
import { createCustomerToken as tokenize } from '../../dist/domain/tokenize.js'
import { startMock } from '../../dist/index.js'
import { call, createCustomerToken, errorOf, mint, tokenRequest } from '../helpers/app.js'
import { seTokenOrder } from '../helpers/data.js'

const open = async (file: string): Promise<FastifyInstance> =>
  await buildApp({ logger: false, stateFile: file })

async function newToken(app: FastifyInstance, user?: string): Promise<string> {
  const { authorization_token: auth } = await mint(app, {}, user)
  const res = await createCustomerToken(app, auth, undefined, user)
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json().token_id as string
}

const tokenStatus = async (app: FastifyInstance, token: string, user?: string) => {
  const res = await call(
    app,
    'GET',
    `/customer-token/v1/tokens/${token}`,
    undefined,
    user === undefined ? {} : { user },
  )
  return res.statusCode === 200 ? (res.json().status as string) : res.statusCode
}

t.test(
  'a state file that cannot be written stops start-up, naming the path (the CLI: test/cli.test.ts)',
  async (t) => {
    const dir = t.testdir({ plain: 'not a folder' })
    for (const file of [
      join(dir, 'no-such-folder', 'state.json'),
      join(dir, 'plain', 'state.json'),
      '/proc/klarna-mock-state.json',
    ]) {
      await t.rejects(
        open(file),
        { name: 'StateFileError', message: `${file}: cannot write the state file` },
        file,
      )
      await t.rejects(
        startMock({ stateFile: file }),
        { name: 'StateFileError' },
        `startMock rejects too: ${file}`,
      )
    }
  },
)

t.test('each change is appended to the log: the hot path never rewrites the state', async (t) => {
  const file = join(t.testdir(), 'state.json')
  const app = await open(file)
  t.teardown(() => app.close())
  for (let i = 0; i < 150; i++) await newToken(app)
  const size = () => statSync(file).size + statSync(`${file}.log.1`).size
  const before = size()
  const one = await newToken(app)
  const grown = size() - before
  t.ok(before > 150 * 1000, `the state holds 150 tokens (${before} bytes)`)
  t.ok(grown < 8000, `one customer token adds ${grown} bytes, its own records only`)
  const last = readFileSync(`${file}.log.1`, 'utf8').trim().split('\n').slice(-3)
  t.ok(
    last.some((line) => line.startsWith(`{"m":"merchant-a","c":"tokens","k":"${one}"`)),
    'the new token is among the last lines',
  )
})

t.test(
  'a restart replays snapshot and log: records, changes in place, deletions, the clock and a reset',
  async (t) => {
    const file = join(t.testdir(), 'state.json')
    const one = await open(file)
    const kept = await newToken(one)
    const cancelled = await newToken(one)
    t.equal(
      (await call(one, 'PATCH', `/customer-token/v1/tokens/${cancelled}/status`, { status: 'CANCELLED' }))
        .statusCode,
      202,
    )
    const { authorization_token: gone } = await mint(one)
    t.equal((await call(one, 'DELETE', `/payments/v1/authorizations/${gone}`)).statusCode, 204)
    await call(one, 'POST', '/_mock/clock', { advance_seconds: 600 })
    const order = await call(one, 'POST', `/customer-token/v1/tokens/${kept}/order`, seTokenOrder(), {
      headers: { 'klarna-idempotency-key': 'k-1' },
    })
    await one.close()

    const two = await open(file)
    t.equal(await tokenStatus(two, kept), 'ACTIVE')
    t.equal(await tokenStatus(two, cancelled), 'CANCELLED', 'a change made in place survived')
    t.equal(errorOf(await createCustomerToken(two, gone)).status, 404, 'a deletion survived')
    t.ok(
      Date.parse((await call(two, 'GET', '/_mock/clock')).json().now) - Date.now() > 590_000,
      'the clock offset survived',
    )
    const replay = await call(two, 'POST', `/customer-token/v1/tokens/${kept}/order`, seTokenOrder(), {
      headers: { 'klarna-idempotency-key': 'k-1' },
    })
    t.equal(replay.json().order_id, order.json().order_id, 'an idempotency key survived: no second charge')
    t.equal(replay.headers['klarna-idempotent-replayed'], 'true')
    t.equal((await call(two, 'POST', '/_mock/reset')).statusCode, 204)
    const after = await newToken(two)
    await two.close()

    const three = await open(file)
    t.teardown(() => three.close())
    t.equal(await tokenStatus(three, kept), 404, 'the reset survived')
    t.equal(await tokenStatus(three, after), 'ACTIVE', 'and what came after it')
    t.ok(
      Date.parse((await call(three, 'GET', '/_mock/clock')).json().now) - Date.now() < 60_000,
      'the clock went back with the reset',
    )
  },
)

t.test('a snapshot written in the background keeps every change made while it is written', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'state.json')
  const one = await open(file)
  // 1200 tokens (with their sessions and authorizations, thousands of records: several batches of
  // the snapshot), made by the domain's own calls, which store them as a request would, in a tenth
  // of the time of 2,400 requests.
  const early: string[] = []
  const body = tokenRequest() as Parameters<typeof tokenize>[3]
  for (let i = 0; i < 1200; i++) {
    const { authorization_token: auth } = mintAuthorization(one.domain, 'merchant-a', {}, 'http://localhost')
    early.push(tokenize(one.domain, 'merchant-a', auth, body, 'http://localhost').token_id)
  }
  const generation = one.stateWriter?.generation ?? 0
  const compaction = one.stateWriter?.compact()
  // Changes while the snapshot is being written, a batch per event-loop turn.
  const late = await Promise.all(Array.from({ length: 20 }, async () => await newToken(one)))
  for (const token of early.slice(0, 10)) {
    await call(one, 'PATCH', `/customer-token/v1/tokens/${token}/status`, { status: 'CANCELLED' })
  }
  await compaction
  t.equal(one.stateWriter?.generation, generation + 1, 'a new log segment was started')
  t.same(
    readdirSync(dir).sort(),
    ['state.json', `state.json.log.${generation + 1}`],
    'older segments are gone',
  )
  await one.close()

  const two = await open(file)
  t.teardown(() => two.close())
  for (const token of late) t.equal(await tokenStatus(two, token), 'ACTIVE')
  t.equal(await tokenStatus(two, early[0] as string), 'CANCELLED')
  t.equal(await tokenStatus(two, early[500] as string), 'ACTIVE')
  t.equal(await tokenStatus(two, early.at(-1) as string), 'ACTIVE')
})

t.test('a compaction closes the old log segment only once no sync is still running on it', async (t) => {
  const file = join(t.testdir(), 'state.json')
  const app = await open(file)
  t.teardown(() => app.close())
  const writer = app.stateWriter
  if (writer === undefined) throw new Error('no state writer')
  const token = await newToken(app)
  const tokens = app.domain.store.find('merchant-a')?.tokens
  const record = tokens?.get(token)
  if (record === undefined) throw new Error('no token record')
  const change = () => {
    tokens?.touch(token, record)
    writer.flush()
  }
  // Node's thread pool, kept busy for a while: a sync queued now waits its turn, as on a loaded disk.
  const busyPool = async () =>
    await Promise.all(
      Array.from(
        { length: Number(process.env.UV_THREADPOOL_SIZE ?? 4) },
        async () => await promisify(pbkdf2)('x', 'y', 20_000, 32, 'sha256'),
      ),
    )
  const start = writer.generation
  for (let round = 0; round < 5; round++) {
    // A request waiting for its write to be on disk, a compaction, and a second write whose sync
    // starts on the old segment just before the compaction switches to a new one.
    change()
    const first = writer.sync()
    const compaction = writer.compact()
    change()
    const second = writer.sync()
    const busy = busyPool()
    await Promise.all([first, second, compaction, busy])
  }
  t.equal(writer.failure, undefined, 'no sync failed (EBADF: a descriptor closed under it)')
  t.equal(writer.generation, start + 5, 'five new segments')
  await app.close()
  const again = await open(file)
  t.teardown(() => again.close())
  t.equal(await tokenStatus(again, token), 'ACTIVE', 'and the state reads back')
})

t.test('a damaged state file is refused, untouched, naming the file, the line and the field', async (t) => {
  const dir = t.testdir()
  const header = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      format: 'klarna-mock-state',
      version: 2,
      saved_at: '2026-01-01T00:00:00.000Z',
      clock_offset_ms: 0,
      log_generation: 1,
      ...over,
    })
  const v1 = (over: Record<string, unknown>) =>
    JSON.stringify({
      format: 'klarna-mock-state',
      version: 1,
      saved_at: 'x',
      clock_offset_ms: 0,
      merchants: {},
      redirects: [],
      ...over,
    })
  const empty = { sessions: [], authorizations: [], tokens: [], orders: [], idempotency: [] }
  const cases: Array<[string, string, RegExp]> = [
    [
      'a record of the wrong shape',
      `${header()}\n{"m":"a","c":"tokens","k":"t1","v":{}}\n`,
      /state\.json: line 2: tokens "t1": id: Expected required property/,
    ],
    [
      'an unknown collection',
      `${header()}\n{"m":"a","c":"wallets","k":"t1","v":{}}\n`,
      /state\.json: line 2: /,
    ],
    [
      'a record without a merchant',
      `${header()}\n{"m":"","c":"orders","k":"o1","v":{"id":"o1","createdAtMs":1,"source":"authorization","sourceId":"a","orderAmount":1,"purchaseCurrency":"SEK","orderLines":[],"response":{"order_id":"o1","fraud_status":"ACCEPTED"}}}\n`,
      /line 2: a record without a merchant/,
    ],
    [
      'an absurd clock offset',
      header({ clock_offset_ms: 1e300 }),
      /line 1: clock_offset_ms 1e\+300 is out of range/,
    ],
    [
      'a later version',
      header({ version: 99 }),
      /line 1: state file version 99; this klarna-mock reads versions 1 and 2/,
    ],
    [
      'version 1 with a bad record',
      v1({ merchants: { a: { ...empty, sessions: [['s1', {}]] } } }),
      /state\.json: merchants\.a\.sessions: sessions "s1": id: Expected required property/,
    ],
    [
      'version 1 with a merchant that is null',
      v1({ merchants: { a: null } }),
      /state\.json: merchants\/a|state\.json: merchants\.a/,
    ],
    [
      'version 1 with an absurd clock',
      v1({ clock_offset_ms: 1e300 }),
      /state\.json: clock_offset_ms 1e\+300 is out of range/,
    ],
  ]
  for (const [what, text, message] of cases) {
    const file = join(dir, 'state.json')
    writeFileSync(file, text)
    await t.rejects(open(file), { name: 'StateFileError', message: /^damaged state file: / }, what)
    await t.rejects(open(file), { message }, what)
    t.equal(readFileSync(file, 'utf8'), text, `${what}: the file was not changed`)
  }
  const file = join(dir, 'state.json')
  writeFileSync(file, `${header()}\n`)
  writeFileSync(`${file}.log.1`, '{"c":"clock","v":1000}\n{"c":"clock",\n{"c":"reset"}\n')
  await t.rejects(
    open(file),
    { message: /state\.json\.log\.1: line 2: not JSON/ },
    'a damaged line inside the log',
  )
})

t.test('a torn last line of the log (a write the crash cut, never answered) is ignored', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'state.json')
  const one = await open(file)
  const token = await newToken(one)
  await one.close()
  const segment = readdirSync(dir).find((n) => n.startsWith('state.json.log.')) as string
  writeFileSync(
    join(dir, segment),
    readFileSync(join(dir, segment), 'utf8') + '{"m":"merchant-a","c":"tokens","k":"half',
  )
  const two = await open(file)
  t.teardown(() => two.close())
  t.equal(await tokenStatus(two, token), 'ACTIVE')
})

t.test('any merchant name is kept, __proto__ and constructor included', async (t) => {
  const file = join(t.testdir(), 'state.json')
  const one = await open(file)
  const proto = await newToken(one, '__proto__')
  const ctor = await newToken(one, 'constructor')
  await one.close()
  const two = await open(file)
  t.teardown(() => two.close())
  t.equal(await tokenStatus(two, proto, '__proto__'), 'ACTIVE')
  t.equal(await tokenStatus(two, ctor, 'constructor'), 'ACTIVE')
  t.equal(await tokenStatus(two, ctor, '__proto__'), 404, 'and each merchant sees only its own')
})

t.test('records read back share equal addresses and carts, and still change as before', async (t) => {
  const file = join(t.testdir(), 'state.json')
  const one = await open(file)
  const tokens = [await newToken(one), await newToken(one)]
  const { session_id: session } = await mint(one)
  await one.close()
  const two = await open(file)
  t.teardown(() => two.close())
  const state = two.domain.store.find('merchant-a')
  const [a, b] = tokens.map((token) => state?.tokens.get(token))
  t.ok(
    a?.billingAddress !== undefined && a.billingAddress === b?.billingAddress,
    'one address object for both',
  )
  t.ok(Object.isFrozen(a?.billingAddress), 'and it is frozen, as the running mock shares its own')
  t.equal(
    state?.sessions.get(session)?.data,
    state?.sessions.get(a?.sessionId ?? '')?.data,
    'one cart for every session minted with the same one',
  )
  // A session read back takes an update (a new cart) and a token its cancel, as before the restart.
  const update = await call(two, 'POST', `/payments/v1/sessions/${session}`, { locale: 'en-SE' })
  t.equal(update.statusCode, 204, update.body)
  t.equal((await call(two, 'GET', `/payments/v1/sessions/${session}`)).json().locale, 'en-SE')
  const cancel = await call(two, 'PATCH', `/customer-token/v1/tokens/${tokens[0]}/status`, {
    status: 'CANCELLED',
  })
  t.equal(cancel.statusCode, 202, cancel.body)
  t.equal(await tokenStatus(two, tokens[0]!), 'CANCELLED')
  t.equal(await tokenStatus(two, tokens[1]!), 'ACTIVE')
})

t.test('temporary files of interrupted saves are removed at start', async (t) => {
  const dir = t.testdir({ '.state.json.4242.tmp': 'half a snapshot', '.other.json.1.tmp': 'not ours' })
  const app = await open(join(dir, 'state.json'))
  t.teardown(() => app.close())
  t.same(readdirSync(dir).sort(), ['.other.json.1.tmp', 'state.json', 'state.json.log.1'])
})

t.test('a version 1 file (klarna-mock 0.1) is read and rewritten as version 2', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'state.json')
  const one = await open(file)
  const token = await newToken(one)
  const record = one.domain.store.find('merchant-a')?.tokens.get(token)
  await one.close()
  writeFileSync(
    file,
    JSON.stringify({
      format: 'klarna-mock-state',
      version: 1,
      saved_at: 'x',
      clock_offset_ms: 5000,
      redirects: [],
      merchants: {
        'merchant-a': {
          sessions: [],
          authorizations: [],
          tokens: [[token, record]],
          orders: [],
          idempotency: [],
        },
      },
    }),
  )
  const two = await open(file)
  t.teardown(() => two.close())
  t.equal(await tokenStatus(two, token), 'ACTIVE')
  t.match(readFileSync(file, 'utf8').split('\n')[0], /"version":2/)
})

t.test('--durability fsync: every change is on disk before it is answered', async (t) => {
  const file = join(t.testdir(), 'state.json')
  const app = await buildApp({ logger: false, stateFile: file, durability: 'fsync' })
  const tokens = await Promise.all(Array.from({ length: 10 }, async () => await newToken(app)))
  await app.close()
  const two = await open(file)
  t.teardown(() => two.close())
  for (const token of tokens) t.equal(await tokenStatus(two, token), 'ACTIVE')
})
