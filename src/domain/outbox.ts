/**
 * Callbacks Klarna makes to the merchant, waiting to be sent: the authorization callback
 * (merchant_urls.authorization, right after authorize()) and the fraud-decision notification of
 * a pending order (merchant_urls.notification, when the playground e-mail's NN minutes have
 * passed on the virtual clock). Framework-free: src/http/callbacks.ts sends them.
 *
 * Bounded: the newest `limit` callbacks are kept, whatever their state (the oldest goes first, as
 * in the journal), and adding one is O(1). Only the pending ones are scanned for what is due.
 */

export type CallbackKind = 'authorization' | 'fraud_decision' | 'hpp_status_update'

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

export const DEFAULT_CALLBACK_LIMIT = 1000

export class Outbox {
  #next = 1
  /** By id, so in the order they were added. */
  readonly #items = new Map<number, Callback>()
  readonly #pending = new Map<number, Callback>()
  readonly limit: number

  constructor(limit = DEFAULT_CALLBACK_LIMIT) {
    this.limit = Math.max(1, limit)
  }

  enqueue(c: Omit<Callback, 'id' | 'attempts' | 'state'>): Callback {
    const item: Callback = { ...c, id: this.#next++, attempts: 0, state: 'pending' }
    this.#items.set(item.id, item)
    this.#pending.set(item.id, item)
    if (this.#items.size > this.limit) {
      const oldest = this.#items.keys().next().value as number
      this.#items.delete(oldest)
      this.#pending.delete(oldest)
    }
    return item
  }

  /** Marks a callback done (delivered or failed): it is no longer scanned. */
  settle(c: Callback, state: 'delivered' | 'failed'): void {
    c.state = state
    this.#pending.delete(c.id)
  }

  /** Pending callbacks due, each on its merchant's clock, that are not being sent already. */
  due(nowOf: (merchant: string) => number, sending: ReadonlySet<number>): Callback[] {
    const out: Callback[] = []
    for (const c of this.#pending.values()) {
      if (c.dueAtMs <= nowOf(c.merchant) && !sending.has(c.id)) out.push(c)
    }
    return out
  }

  get size(): number {
    return this.#items.size
  }

  /** Whether any callback waits to be sent (checked after every answer: most have none). */
  get hasPending(): boolean {
    return this.#pending.size > 0
  }

  /** Newest first, all or one merchant's. */
  list(merchant?: string): Callback[] {
    const out: Callback[] = []
    for (const c of this.#items.values()) if (merchant === undefined || c.merchant === merchant) out.push(c)
    return out.reverse()
  }

  /** Forgets every callback, or one merchant's. */
  clear(merchant?: string): void {
    for (const [id, c] of this.#items) {
      if (merchant !== undefined && c.merchant !== merchant) continue
      this.#items.delete(id)
      this.#pending.delete(id)
    }
  }
}
