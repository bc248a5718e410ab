/**
 * Callbacks Klarna makes to the merchant, waiting to be sent: the authorization callback
 * (merchant_urls.authorization, right after authorize()) and the fraud-decision notification of
 * a pending order (merchant_urls.notification, when the playground e-mail's NN minutes have
 * passed on the virtual clock). Framework-free: src/http/callbacks.ts sends them.
 */

export type CallbackKind = 'authorization' | 'fraud_decision'

export interface Callback {
  id: number
  merchant: string
  kind: CallbackKind
  url: string
  body: Record<string, unknown>
  /** Virtual time at which it is due. */
  dueAtMs: number
  attempts: number
  /** pending: waiting or being sent; delivered: a 2xx came back; failed: every attempt failed. */
  state: 'pending' | 'delivered' | 'failed'
  lastResult?: string | undefined
}

export class Outbox {
  #next = 1
  #items: Callback[] = []
  readonly limit: number

  constructor (limit = 1000) {
    this.limit = limit
  }

  enqueue (c: Omit<Callback, 'id' | 'attempts' | 'state'>): Callback {
    const item: Callback = { ...c, id: this.#next++, attempts: 0, state: 'pending' }
    this.#items.push(item)
    // Keep the history bounded; never drop what is still waiting.
    while (this.#items.length > this.limit) {
      const i = this.#items.findIndex(x => x.state !== 'pending')
      if (i < 0) break
      this.#items.splice(i, 1)
    }
    return item
  }

  /** Pending callbacks due at `nowMs` that are not being sent already. */
  due (nowMs: number, sending: ReadonlySet<number>): Callback[] {
    return this.#items.filter(c => c.state === 'pending' && c.dueAtMs <= nowMs && !sending.has(c.id))
  }

  list (merchant?: string): Callback[] {
    return this.#items.filter(c => merchant === undefined || c.merchant === merchant).slice().reverse()
  }

  clear (): void {
    this.#items = []
  }
}
