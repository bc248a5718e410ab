import type {
  AuthorizationRecord,
  CollectionName,
  CustomerTokenRecord,
  HppSessionRecord,
  IdempotencyRecord,
  LinkRecord,
  OrderRecord,
  ReplyRecord,
  SessionRecord,
  StepUpRecord,
} from '../schemas/state.js'

export type {
  AuthorizedOrder,
  Outcome,
  OrderRecord,
  IdempotencyRecord,
  TokenStatus,
  CollectionName,
  StepUpRecord,
  LinkRecord,
  CaptureRecord,
  RefundRecord,
  ReplyRecord,
  HppSessionRecord,
  HppStatus,
} from '../schemas/state.js'
import type { Clock } from './clock.js'
import { PackedCollection, type Layout, type Table } from './packed.js'
export type { Table } from './packed.js'
export type Session = SessionRecord
export type Authorization = AuthorizationRecord
export type CustomerToken = CustomerTokenRecord

/**
 * In-memory state, one compartment per merchant. Every lookup goes through find(id) or
 * merchant(id): there is no way to reach another merchant's object by id. Transitions are
 * synchronous check-and-update.
 *
 * A compartment is only created by a call that stores something (merchant(id)); lookups use
 * find(id), so a request that stores nothing leaves no trace. Every change goes through a
 * collection's set, delete or touch (after changing a record in place: a packed collection keeps a
 * copy, so the record is set again), which tells the store's listener (the state file,
 * src/persistence.ts) which record to write.
 */

/** Who hears of each change (the state file). */
export interface StoreListener {
  /** A record was set, deleted or changed: the merchant, the collection, the key. */
  changed: (merchant: string, collection: CollectionName, key: string) => void
  /** A merchant's virtual clock moved (or was set back). */
  clockMoved: (merchant: string, offsetMs: number) => void
  /** Everything was forgotten, or one merchant's everything. */
  cleared: (merchant?: string) => void
}

/** A collection of few records (orders, idempotency keys, links…): a Map that tells of changes. */
export class Collection<V> extends Map<string, V> implements Table<V> {
  readonly #notify: (key: string) => void

  constructor(notify: (key: string) => void) {
    super()
    this.#notify = notify
  }

  override set(key: string, value: V): this {
    super.set(key, value)
    this.#notify(key)
    return this
  }

  override delete(key: string): boolean {
    const had = super.delete(key)
    if (had) this.#notify(key)
    return had
  }

  field<K extends keyof V & string>(key: string, name: K): V[K] | undefined {
    return this.get(key)?.[name]
  }

  touch(key: string, value: V): void {
    if (this.has(key)) this.set(key, value)
  }

  update<K extends keyof V & string>(key: string, name: K, value: V[K]): void {
    const record = this.get(key)
    if (record === undefined) return
    ;(record as Record<string, unknown>)[name] = value
    this.set(key, record)
  }

  deleteWhere(field: string, expired: (value: number) => boolean): number {
    let removed = 0
    for (const [key, value] of this) {
      if (expired((value as Record<string, number>)[field]!)) {
        this.delete(key)
        removed++
      }
    }
    return removed
  }
}

/**
 * How the three collections that grow with a merchant's tests are packed (packed.ts): ids as UUID
 * words, times as numbers, values that many records share (statuses, categories, the market's
 * sample address, the minted cart) by index. Any other field is kept as it is, per record.
 */
const sessionLayout: Layout = {
  key: 'id',
  fields: [
    ['createdAtMs', 'number'],
    ['expiresAtMs', 'number'],
    ['status', 'shared'],
    ['intent', 'shared'],
    ['baseUrl', 'shared'],
    ['data', 'shared'],
    ['paymentMethodCategories', 'shared'],
    ['authorizationToken', 'uuid'],
  ],
}
const authorizationLayout: Layout = {
  key: 'token',
  fields: [
    ['sessionId', 'uuid'],
    ['createdAtMs', 'number'],
    ['expiresAtMs', 'number'],
    ['paymentMethodCategory', 'shared'],
    ['paymentMethodType', 'shared'],
    ['billingAddress', 'shared'],
    ['shippingAddress', 'shared'],
    ['customer', 'shared'],
    ['outcome', 'shared'],
    ['authorized', 'shared'],
    ['customerTokenId', 'uuid'],
    ['scenario', 'shared'],
  ],
}
const tokenLayout: Layout = {
  key: 'id',
  fields: [
    ['createdAtMs', 'number'],
    ['status', 'shared'],
    ['paymentMethodCategory', 'shared'],
    ['paymentMethodType', 'shared'],
    ['paymentMethodReference', 'uuid'],
    ['purchaseCountry', 'shared'],
    ['purchaseCurrency', 'shared'],
    ['description', 'shared'],
    ['billingAddress', 'shared'],
    ['customer', 'shared'],
    ['sessionId', 'uuid'],
    ['authorizationToken', 'uuid'],
    ['merchantUrls', 'shared'],
    ['stepUpRequired', 'shared'],
  ],
}

export class MerchantState {
  /** The merchant's own virtual clock: one pipeline's time travel never expires another's objects. */
  readonly clock: Clock
  readonly sessions: Table<Session>
  readonly authorizations: Table<Authorization>
  readonly tokens: Table<CustomerToken>
  readonly orders: Collection<OrderRecord>
  readonly idempotency: Collection<IdempotencyRecord>
  readonly stepUps: Collection<StepUpRecord>
  readonly links: Collection<LinkRecord>
  readonly replies: Collection<ReplyRecord>
  readonly hpp: Collection<HppSessionRecord>

  constructor(notify: (collection: CollectionName, key: string) => void, clock: Clock) {
    this.clock = clock
    this.sessions = new PackedCollection(sessionLayout, (key) => notify('sessions', key))
    this.authorizations = new PackedCollection(authorizationLayout, (key) => notify('authorizations', key))
    this.tokens = new PackedCollection(tokenLayout, (key) => notify('tokens', key))
    this.orders = new Collection((key) => notify('orders', key))
    this.idempotency = new Collection((key) => notify('idempotency', key))
    this.stepUps = new Collection((key) => notify('stepUps', key))
    this.links = new Collection((key) => notify('links', key))
    this.replies = new Collection((key) => notify('replies', key))
    this.hpp = new Collection((key) => notify('hpp', key))
  }

  /** How much it holds; a moved clock counts, so that the merchant's time is not forgotten. */
  get size(): number {
    return (
      (this.clock.offsetMs === 0 ? 0 : 1) +
      this.sessions.size +
      this.authorizations.size +
      this.tokens.size +
      this.orders.size +
      this.idempotency.size +
      this.stepUps.size +
      this.links.size +
      this.replies.size +
      this.hpp.size
    )
  }
}

export class Store {
  readonly #merchants = new Map<string, MerchantState>()
  readonly #newClock: () => Clock
  #listener: StoreListener | undefined

  /** `newClock` makes each merchant's clock (the same real-time source and range for all). */
  constructor(newClock: () => Clock) {
    this.#newClock = newClock
  }

  /** Only one listener: the state file. */
  listen(listener: StoreListener | undefined): void {
    this.#listener = listener
  }

  #changed(merchant: string, collection: CollectionName, key: string): void {
    this.#listener?.changed(merchant, collection, key)
  }

  /** The merchant's compartment, created on first use: for calls that store something. */
  merchant(id: string): MerchantState {
    let state = this.#merchants.get(id)
    if (state === undefined) {
      const clock = this.#newClock()
      clock.listen(() => this.#listener?.clockMoved(id, clock.offsetMs))
      state = new MerchantState((collection, key) => this.#changed(id, collection, key), clock)
      this.#merchants.set(id, state)
    }
    return state
  }

  /** The merchant's compartment if it has one: for lookups. */
  find(id: string): MerchantState | undefined {
    return this.#merchants.get(id)
  }

  merchants(): IterableIterator<[string, MerchantState]> {
    return this.#merchants.entries()
  }

  get merchantCount(): number {
    return this.#merchants.size
  }

  /** Forgets compartments that hold nothing (their last records expired). */
  dropEmpty(): number {
    let dropped = 0
    for (const [id, state] of this.#merchants) {
      if (state.size === 0) {
        this.#merchants.delete(id)
        dropped++
      }
    }
    return dropped
  }

  /** Forgets everything, or one merchant's everything (its clock too). */
  reset(merchant?: string): void {
    if (merchant !== undefined) {
      this.#merchants.delete(merchant)
      this.#listener?.cleared(merchant)
      return
    }
    this.#merchants.clear()
    this.#listener?.cleared()
  }
}
