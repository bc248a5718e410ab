import type { FastifyInstance } from 'fastify'
import { setTimeout as sleep } from 'node:timers/promises'
import { clockOf } from '../domain/context.js'
import type { Callback } from '../domain/outbox.js'

export interface CallbackOptions {
  /** Send callbacks at all (they are listed by GET /_mock/callbacks either way). */
  enabled: boolean
  /** Pauses between attempts (Klarna: 3 attempts, backoff from 1 s). */
  retryDelaysMs: number[]
  /** Per attempt (Klarna: 2 s to connect + 2 s to read). */
  timeoutMs: number
}

export const defaultCallbackOptions: CallbackOptions = {
  enabled: true,
  retryDelaysMs: [1000, 2000],
  timeoutMs: 4000,
}

/**
 * Sends the callbacks of the outbox once due on the virtual clock: checked after every request
 * and once a second. A 2xx is success; anything else is retried as Klarna does, then given up.
 * Returns the check (src/http/fast-lane.ts calls it after its answers too).
 */
export function registerCallbacks(app: FastifyInstance, options: CallbackOptions): () => void {
  const { outbox } = app.domain
  const sending = new Set<number>()

  async function send(c: Callback): Promise<void> {
    sending.add(c.id)
    try {
      for (let attempt = 0; attempt <= options.retryDelaysMs.length; attempt++) {
        c.attempts++
        try {
          const res = await fetch(c.url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'User-Agent': 'klarna-mock' },
            body: JSON.stringify(c.body),
            signal: AbortSignal.timeout(options.timeoutMs),
          })
          await res.arrayBuffer().catch(() => undefined)
          c.lastResult = `HTTP ${res.status}`
          if (res.ok) {
            outbox.settle(c, 'delivered')
            app.log.info({ callback: c.kind, url: c.url, status: res.status }, 'callback delivered')
            return
          }
        } catch (err) {
          c.lastResult = (err as Error).message
        }
        const pause = options.retryDelaysMs[attempt]
        if (pause !== undefined) await sleep(pause)
      }
      outbox.settle(c, 'failed')
      app.log.warn({ callback: c.kind, url: c.url, result: c.lastResult }, 'callback failed')
    } finally {
      sending.delete(c.id)
    }
  }

  const tick = () => {
    if (!options.enabled || !outbox.hasPending) return
    for (const c of outbox.due((merchant) => clockOf(app.domain, merchant).nowMs(), sending)) void send(c)
  }
  app.addHook('onResponse', (_request, _reply, done) => {
    tick()
    done()
  })
  const timer = setInterval(tick, 1000)
  timer.unref()
  app.addHook('onClose', async () => clearInterval(timer))
  return tick
}
