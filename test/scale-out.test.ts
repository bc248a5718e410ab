import t from 'tap'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { packageRoot } from '../dist/paths.js'
import { basic, seTokenOrder, tokenRequest } from './helpers/data.js'
import { binJs, freePort, startServer, stop, type Started } from './helpers/spawn.js'

/**
 * The reference scale-out set-up, for real: Debian's HAProxy with the shipped
 * deploy/haproxy.cfg in front of three replicas, 50 merchants in parallel through it, each on its
 * own clock; then one replica is killed with SIGKILL and restarted from its state file.
 */

const MERCHANTS = 50
const secret = 'scale-out-test-link-secret'
const admin = 'ops:ops-secret'

const replicaArgs = (port: number, file: string) => [
  '--port',
  String(port),
  '--state-file',
  file,
  '--link-secret',
  secret,
  '--admin-credentials',
  admin,
  '--callbacks',
  'off',
]

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check().catch(() => false)) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('timed out')
}

t.test(
  'three replicas behind HAProxy: merchants stay on one replica, links work anywhere, a killed replica comes back with its state',
  async (t) => {
    const found = spawnSync('haproxy', ['-v'], { encoding: 'utf8' })
    if (found.error !== undefined || found.status !== 0) {
      t.fail(
        "HAProxy is not installed: this test needs Debian's haproxy (apt-get install -y haproxy; .ci/run installs it)",
      )
      return
    }
    const dir = t.testdir()
    const ports = [await freePort(), await freePort(), await freePort()]
    const files = ports.map((_, i) => join(dir, `replica${i + 1}.json`))
    const replicas: Started[] = await Promise.all(
      ports.map(async (port, i) => await startServer(replicaArgs(port, files[i] as string), {}, binJs)),
    )
    const proxyPort = await freePort()
    const proxy: ChildProcess = spawn('haproxy', ['-f', join(packageRoot, 'deploy', 'haproxy.cfg')], {
      env: {
        ...process.env,
        KLARNA_MOCK_PROXY_BIND: `127.0.0.1:${proxyPort}`,
        KLARNA_MOCK_REPLICA1: `127.0.0.1:${ports[0] ?? 0}`,
        KLARNA_MOCK_REPLICA2: `127.0.0.1:${ports[1] ?? 0}`,
        KLARNA_MOCK_REPLICA3: `127.0.0.1:${ports[2] ?? 0}`,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let proxyErrors = ''
    proxy.stderr?.on('data', (c: Buffer) => {
      proxyErrors += c.toString()
    })
    t.teardown(async () => {
      proxy.kill('SIGKILL')
      for (const r of replicas) await stop(r.child, 'SIGKILL')
    })
    const base = `http://127.0.0.1:${proxyPort}`
    await until(async () => (await fetch(`${base}/_mock/health`)).ok)

    const json = { 'content-type': 'application/json' }
    const as = (merchant: string) => ({ ...json, authorization: basic(merchant, 'pw') })
    const post = async (merchant: string, path: string, body: unknown) =>
      await fetch(`${base}${path}`, { method: 'POST', headers: as(merchant), body: JSON.stringify(body) })

    // 50 merchants in parallel: a customer token, a charge, and a second authorization that each
    // merchant then ages on its own clock (even merchants by 61 minutes: theirs expires).
    const results = await Promise.all(
      Array.from({ length: MERCHANTS }, async (_, i) => {
        const m = `pipeline-${i}`
        const auth = (
          (await (
            await post(m, '/_mock/authorizations', {
              merchant_urls: { confirmation: `https://ci.example/${m}/done?sid={session.id}` },
            })
          ).json()) as { authorization_token: string }
        ).authorization_token
        const made = (await (
          await post(
            m,
            `/payments/v1/authorizations/${auth}/customer-token`,
            tokenRequest({ description: m }),
          )
        ).json()) as { token_id: string; redirect_url: string }
        const order = await post(m, `/customer-token/v1/tokens/${made.token_id}/order`, seTokenOrder())
        const second = (
          (await (await post(m, '/_mock/authorizations', {})).json()) as { authorization_token: string }
        ).authorization_token
        await post(m, '/_mock/clock', { advance_seconds: i % 2 === 0 ? 3660 : 60 })
        const late = await post(
          m,
          `/payments/v1/authorizations/${second}/customer-token`,
          tokenRequest({ description: 'late' }),
        )
        return {
          m,
          token: made.token_id,
          link: made.redirect_url,
          orderStatus: order.status,
          lateStatus: late.status,
        }
      }),
    )
    t.same(
      results.filter((r) => r.orderStatus !== 200).map((r) => r.m),
      [],
      'every charge went through the proxy',
    )
    t.same(
      results.filter((r, i) => r.lateStatus !== (i % 2 === 0 ? 404 : 200)).map((r) => r.m),
      [],
      "each merchant's clock moved alone: even merchants' second authorization expired, odd ones' did not",
    )

    // Each merchant's state lives on exactly one replica (the operator asks each replica directly).
    const holders = new Map<string, number[]>()
    for (const [i, port] of ports.entries()) {
      const entries = (await (
        await fetch(`http://127.0.0.1:${port}/_mock/requests?merchant=*&limit=1000`, {
          headers: { authorization: basic('ops', 'ops-secret') },
        })
      ).json()) as Array<{ merchant: string | null }>
      for (const m of new Set(entries.map((e) => e.merchant))) {
        if (m !== null) holders.set(m, [...(holders.get(m) ?? []), i])
      }
    }
    t.equal(holders.size, MERCHANTS, 'every merchant was seen')
    t.same(
      [...holders].filter(([, on]) => on.length !== 1),
      [],
      'and each on one replica only',
    )
    t.ok(
      new Set([...holders.values()].map((on) => on[0])).size >= 2,
      'merchants are spread over the replicas',
    )

    // Every link works from every replica, without credentials.
    for (const r of results.slice(0, 10)) {
      const link = new URL(r.link)
      for (const port of ports) {
        const res = await fetch(`http://127.0.0.1:${port}${link.pathname}${link.search}`, {
          redirect: 'manual',
        })
        t.equal(res.status, 302, `${r.m}'s link on replica :${port}`)
        t.match(res.headers.get('location'), new RegExp(`^https://ci\\.example/${r.m}/done\\?sid=`))
      }
    }

    // The browser pieces carry no credentials: ?m= routes them to the merchant's replica. A session
    // made through the proxy is authorized by the SDK's post through the proxy, for 10 merchants.
    for (const r of results.slice(0, 10)) {
      const session = (await (
        await post(r.m, '/payments/v1/sessions', {
          purchase_country: 'SE',
          purchase_currency: 'SEK',
          locale: 'sv-SE',
          order_amount: 100,
          order_tax_amount: 0,
          order_lines: [
            { name: 'x', quantity: 1, unit_price: 100, tax_rate: 0, total_amount: 100, total_tax_amount: 0 },
          ],
        })
      ).json()) as { client_token: string }
      const widget = await fetch(`${base}/_mock/widget/authorize?m=${encodeURIComponent(r.m)}`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ client_token: session.client_token, payment_method_category: 'pay_later' }),
      })
      t.match(
        await widget.json(),
        { approved: true, authorization_token: String },
        `${r.m}: the SDK's authorize reached its replica`,
      )
    }
    t.equal((await fetch(`${base}/kp/lib/v1/api.js`)).status, 200, 'the SDK script from any replica')

    // Kill one replica with SIGKILL, restart it from its state file on the same port.
    const victim = 1
    const victimMerchants = [...holders].filter(([, on]) => on[0] === victim).map(([m]) => m)
    t.ok(victimMerchants.length > 0, `replica ${victim + 1} held ${victimMerchants.length} merchants`)
    await stop((replicas[victim] as Started).child, 'SIGKILL')
    replicas[victim] = await startServer(
      replicaArgs(ports[victim] as number, files[victim] as string),
      {},
      binJs,
    )
    for (const m of victimMerchants) {
      const token = results.find((r) => r.m === m)?.token as string
      const res = await fetch(`${base}/customer-token/v1/tokens/${token}`, { headers: as(m) })
      t.equal(res.status, 200, `${m}'s token survived the kill`)
    }
    t.equal(
      proxyErrors.includes('ALERT'),
      false,
      `HAProxy raised no alert${proxyErrors === '' ? '' : `: ${proxyErrors.slice(0, 300)}`}`,
    )
  },
)
