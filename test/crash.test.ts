import t from 'tap'
import { join } from 'node:path'
import { basic, seTokenOrder, tokenRequest } from './helpers/data.js'
import { binJs, startServer, stop } from './helpers/spawn.js'

/**
 * The durability promise, measured: the server is killed with SIGKILL while eight clients send
 * token orders (each with its own Klarna-Idempotency-Key) and mints, KILLS times, at a random
 * moment each time. After each restart every write acknowledged before the kill must be there:
 * the same key answers the same order (replayed, not charged again), and each minted session
 * can be read. KLARNA_MOCK_CRASH_KILLS sets the number of kills: 3 in `npm test` (a check that
 * the promise holds, at about 3 CPU-seconds a kill: it ends the suite's run), 25 in `npm run
 * test:crash`, which .ci/run runs before `npm test`.
 */

const KILLS = Number(process.env.KLARNA_MOCK_CRASH_KILLS ?? 3)
const WORKERS = 8
const headers = { authorization: basic(), 'content-type': 'application/json' }

interface Ack {
  kind: 'order' | 'session'
  key: string
  id: string
  ackAt: number
}

async function post(url: string, body: unknown, extra: Record<string, string> = {}): Promise<Response> {
  return await fetch(url, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) })
}

t.test(`SIGKILL under load, ${KILLS} times: no acknowledged write is lost`, async (t) => {
  const file = join(t.testdir(), 'state.json')
  let server = await startServer(['--port', '0', '--state-file', file], {}, binJs)
  const auth = (
    (await (await post(`${server.url}/_mock/authorizations`, {})).json()) as { authorization_token: string }
  ).authorization_token
  const token = (
    (await (
      await post(
        `${server.url}/payments/v1/authorizations/${auth}/customer-token`,
        tokenRequest({ description: 'crash test' }),
      )
    ).json()) as { token_id: string }
  ).token_id
  const acked: Ack[] = []
  const lost: Array<Ack & { killedAfterMs: number }> = []
  let sequence = 0

  for (let kill = 0; kill < KILLS; kill++) {
    const base = server.url
    let running = true
    const thisRound: Ack[] = []
    const worker = async (w: number): Promise<void> => {
      // eslint-disable-next-line no-unmodified-loop-condition -- set false by the killer below
      while (running) {
        const n = sequence++
        try {
          if (n % 4 === 3) {
            const res = await post(`${base}/_mock/authorizations`, {})
            if (res.ok) {
              thisRound.push({
                kind: 'session',
                key: '',
                id: ((await res.json()) as { session_id: string }).session_id,
                ackAt: Date.now(),
              })
            }
          } else {
            const key = `crash-${kill}-${w}-${n}`
            const res = await post(`${base}/customer-token/v1/tokens/${token}/order`, seTokenOrder(), {
              'Klarna-Idempotency-Key': key,
            })
            if (res.ok) {
              thisRound.push({
                kind: 'order',
                key,
                id: ((await res.json()) as { order_id: string }).order_id,
                ackAt: Date.now(),
              })
            }
          }
        } catch {
          return // the server is gone
        }
      }
    }
    const load = Promise.all(Array.from({ length: WORKERS }, async (_, w) => await worker(w)))
    // The kill lands once the load is real (a number of writes acknowledged, not a time, which a busy
    // machine stretches), and then at a random moment among the writes still under way.
    const enough = Date.now() + 20_000
    while (thisRound.length < 20 && Date.now() < enough) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 100))
    const killedAt = Date.now()
    await stop(server.child, 'SIGKILL')
    running = false
    await load
    acked.push(...thisRound)

    server = await startServer(['--port', '0', '--state-file', file], {}, binJs)
    const url = server.url
    const check = async (ack: Ack): Promise<void> => {
      let ok: boolean
      if (ack.kind === 'order') {
        const res = await post(`${url}/customer-token/v1/tokens/${token}/order`, seTokenOrder(), {
          'Klarna-Idempotency-Key': ack.key,
        })
        ok =
          res.ok &&
          ((await res.json()) as { order_id: string }).order_id === ack.id &&
          res.headers.get('klarna-idempotent-replayed') === 'true'
      } else {
        ok = (await fetch(`${url}/payments/v1/sessions/${ack.id}`, { headers })).ok
      }
      if (!ok) lost.push({ ...ack, killedAfterMs: killedAt - ack.ackAt })
    }
    const queue = [...thisRound]
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        for (let ack = queue.pop(); ack !== undefined; ack = queue.pop()) await check(ack)
      }),
    )
  }
  await stop(server.child)
  t.comment(
    `${KILLS} kills, ${acked.length} acknowledged writes (${acked.filter((a) => a.kind === 'order').length} token orders), ${lost.length} lost`,
  )
  t.ok(acked.length > KILLS * 10, `writes were acknowledged under load (${acked.length})`)
  t.same(lost, [], 'every acknowledged write survived the kill; no idempotent token order was charged twice')
})
