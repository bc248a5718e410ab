import type { Address, Customer, OrderLine, SessionCreate, Order } from '../schemas/klarna.js'
import type { Intent } from './rules.js'

/**
 * In-memory state, one compartment per merchant. Every lookup goes through merchant(id): there is
 * no way to reach another merchant's object by id. Transitions are synchronous check-and-update.
 */

export interface Session {
  id: string
  createdAtMs: number
  expiresAtMs: number
  status: 'incomplete' | 'complete'
  intent: Intent
  clientToken: string
  data: SessionCreate
  paymentMethodCategories: string[]
  /** The latest authorization of this session. */
  authorizationToken?: string | undefined
  orderId?: string | undefined
}

export type Outcome =
  | { kind: 'approved', fraudStatus: 'ACCEPTED' | 'PENDING', resolvesTo?: 'ACCEPTED' | 'REJECTED' | undefined, pendingMinutes?: number | undefined }
  | { kind: 'rejected', reason: string }

export interface Authorization {
  token: string
  sessionId: string
  createdAtMs: number
  expiresAtMs: number
  paymentMethodCategory: string
  paymentMethodType: string
  billingAddress?: Address | undefined
  shippingAddress?: Address | undefined
  customer?: Customer | undefined
  outcome: Outcome
  /** What was authorized: the order the session held at authorize() time. */
  authorized: AuthorizedOrder
  /** Set once a customer token was made from this authorization. */
  customerTokenId?: string | undefined
  /** Set once an order was made from this authorization: its canonical body and answer. */
  order?: { body: string, response: Order } | undefined
  /** Name of a scenario applied to every call made with this token. */
  scenario?: string | undefined
}

export interface AuthorizedOrder {
  purchase_country: string
  purchase_currency: string
  order_amount: number
  order_tax_amount?: number | undefined
  order_lines: OrderLine[]
}

export type TokenStatus = 'ACTIVE' | 'SUSPENDED' | 'CANCELLED'

export interface CustomerToken {
  id: string
  createdAtMs: number
  status: TokenStatus
  paymentMethodCategory: string
  paymentMethodType: string
  paymentMethodReference: string
  purchaseCountry: string
  purchaseCurrency: string
  description: string
  billingAddress?: Address | undefined
  customer?: Customer | undefined
  sessionId: string
  authorizationToken: string
  merchantUrls?: { confirmation?: string | undefined } | undefined
}

export interface OrderRecord {
  id: string
  createdAtMs: number
  source: 'authorization' | 'customer_token'
  sourceId: string
  sessionId?: string | undefined
  orderAmount: number
  purchaseCurrency: string
  orderLines: OrderLine[]
  response: Order
  confirmationUrl?: string | undefined
}

/** A successful token order answered under a Klarna-Idempotency-Key (only successes are kept). */
export interface IdempotencyRecord {
  bodyHash: string
  expiresAtMs: number
  body: Order
}

export class MerchantState {
  readonly sessions = new Map<string, Session>()
  readonly authorizations = new Map<string, Authorization>()
  readonly tokens = new Map<string, CustomerToken>()
  readonly orders = new Map<string, OrderRecord>()
  readonly idempotency = new Map<string, IdempotencyRecord>()
}

/** Where a redirect_url leads: looked up without credentials, by an unguessable id. */
export interface Redirect {
  merchant: string
  sessionId: string
  orderId?: string | undefined
  confirmation?: string | undefined
  what: string
}

export class Store {
  readonly #merchants = new Map<string, MerchantState>()
  readonly redirects = new Map<string, Redirect>()

  merchant (id: string): MerchantState {
    let state = this.#merchants.get(id)
    if (state === undefined) {
      state = new MerchantState()
      this.#merchants.set(id, state)
    }
    return state
  }

  merchants (): IterableIterator<[string, MerchantState]> {
    return this.#merchants.entries()
  }

  reset (): void {
    this.#merchants.clear()
    this.redirects.clear()
  }
}
