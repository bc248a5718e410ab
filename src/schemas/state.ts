import { Type } from '../typebox.js'
import type { Static } from '@sinclair/typebox'
import { Address, Customer, IntentSchema, Order, OrderLine, SessionCreate } from './klarna.js'
import { HppMerchantUrls, HppStatus } from './hpp.js'
import { ShippingInfo } from './order-management.js'

/**
 * The records the mock keeps per merchant, as TypeBox schemas: the TypeScript types of
 * src/domain/store.ts are derived from them, and the state file (src/persistence.ts) is checked
 * against them record by record when it is loaded.
 */

/** Epoch milliseconds within the range the clock keeps (up to the end of year 9999). */
export const EpochMs = Type.Integer({ minimum: 0, maximum: 253402300799999 })
const Id = Type.String({ minLength: 1, maxLength: 255 })

export const SessionRecord = Type.Object({
  id: Id,
  createdAtMs: EpochMs,
  expiresAtMs: EpochMs,
  status: Type.Union([Type.Literal('incomplete'), Type.Literal('complete')]),
  intent: IntentSchema,
  /** Where the browser finds the mock: the client_token is signed from it when asked for. */
  baseUrl: Type.Optional(Type.String()),
  /** Kept by earlier versions (the token itself); read when there is no baseUrl. */
  clientToken: Type.Optional(Type.String()),
  data: SessionCreate,
  paymentMethodCategories: Type.Array(Type.String()),
  /** The latest authorization of this session. */
  authorizationToken: Type.Optional(Id),
  orderId: Type.Optional(Id),
  /** A session opened to recover a failed token charge (step_up_id of the token order's 403). */
  stepUpId: Type.Optional(Id),
})
export type SessionRecord = Static<typeof SessionRecord>

export const Outcome = Type.Union([
  Type.Object({
    kind: Type.Literal('approved'),
    fraudStatus: Type.Union([Type.Literal('ACCEPTED'), Type.Literal('PENDING')]),
    resolvesTo: Type.Optional(Type.Union([Type.Literal('ACCEPTED'), Type.Literal('REJECTED')])),
    pendingMinutes: Type.Optional(Type.Integer({ minimum: 0 })),
    /** The playground's authentication flow (e-mail tag auth_…): a token made from it needs a step-up to be charged. */
    stepUp: Type.Optional(Type.String()),
  }),
  Type.Object({ kind: Type.Literal('rejected'), reason: Type.String() }),
])
export type Outcome = Static<typeof Outcome>

export const AuthorizedOrder = Type.Object({
  purchase_country: Type.String(),
  purchase_currency: Type.String(),
  order_amount: Type.Integer(),
  order_tax_amount: Type.Optional(Type.Integer()),
  order_lines: Type.Array(OrderLine),
})
export type AuthorizedOrder = Static<typeof AuthorizedOrder>

export const AuthorizationRecord = Type.Object({
  token: Id,
  sessionId: Id,
  createdAtMs: EpochMs,
  expiresAtMs: EpochMs,
  paymentMethodCategory: Type.String(),
  paymentMethodType: Type.String(),
  billingAddress: Type.Optional(Address),
  shippingAddress: Type.Optional(Address),
  customer: Type.Optional(Customer),
  outcome: Outcome,
  /** What was authorized: the order the session held at authorize() time. */
  authorized: AuthorizedOrder,
  /** Set once a customer token was made from this authorization. */
  customerTokenId: Type.Optional(Id),
  /** Set once an order was made from this authorization: its canonical body and answer. */
  order: Type.Optional(Type.Object({ body: Type.String(), response: Order })),
  /** Name of a scenario applied to every call made with this token. */
  scenario: Type.Optional(Type.String()),
})
export type AuthorizationRecord = Static<typeof AuthorizationRecord>

export const TokenStatus = Type.Union([
  Type.Literal('ACTIVE'),
  Type.Literal('SUSPENDED'),
  Type.Literal('CANCELLED'),
])
export type TokenStatus = Static<typeof TokenStatus>

export const CustomerTokenRecord = Type.Object({
  id: Id,
  createdAtMs: EpochMs,
  status: TokenStatus,
  paymentMethodCategory: Type.String(),
  paymentMethodType: Type.String(),
  paymentMethodReference: Type.String(),
  purchaseCountry: Type.String(),
  purchaseCurrency: Type.String(),
  description: Type.String(),
  billingAddress: Type.Optional(Address),
  customer: Type.Optional(Customer),
  sessionId: Id,
  authorizationToken: Id,
  merchantUrls: Type.Optional(Type.Object({ confirmation: Type.Optional(Type.String()) })),
  /** Charges need the customer present to step up (playground e-mail +auth_…), until a step-up recovers the token. */
  stepUpRequired: Type.Optional(Type.Boolean()),
})
export type CustomerTokenRecord = Static<typeof CustomerTokenRecord>

/** A capture of an order (Order Management). Its refunded amount is derived from the order's refunds. */
export const CaptureRecord = Type.Object({
  id: Id,
  klarnaReference: Type.String(),
  amount: Type.Integer({ minimum: 0 }),
  atMs: EpochMs,
  description: Type.Optional(Type.String()),
  orderLines: Type.Optional(Type.Array(OrderLine)),
  reference: Type.Optional(Type.String()),
  shippingInfo: Type.Optional(Type.Array(ShippingInfo)),
  shippingAddress: Type.Optional(Address),
  dueDateExtendedDays: Type.Optional(Type.Integer({ minimum: 0 })),
})
export type CaptureRecord = Static<typeof CaptureRecord>

export const RefundRecord = Type.Object({
  id: Id,
  amount: Type.Integer({ minimum: 0 }),
  atMs: EpochMs,
  description: Type.Optional(Type.String()),
  orderLines: Type.Optional(Type.Array(OrderLine)),
  reference: Type.Optional(Type.String()),
})
export type RefundRecord = Static<typeof RefundRecord>

/**
 * An order. What Order Management reports is kept as facts (amounts, captures, refunds, flags);
 * its status, captured and refunded amounts and remaining authorization are derived on reading
 * (src/domain/order-management.ts). Fields after `confirmationUrl` came with Order Management:
 * optional, so that state files of earlier versions still load.
 */
export const OrderRecord = Type.Object({
  id: Id,
  createdAtMs: EpochMs,
  source: Type.Union([Type.Literal('authorization'), Type.Literal('customer_token')]),
  sourceId: Id,
  sessionId: Type.Optional(Id),
  orderAmount: Type.Integer(),
  purchaseCurrency: Type.String(),
  orderLines: Type.Array(OrderLine),
  response: Order,
  confirmationUrl: Type.Optional(Type.String()),
  originalOrderAmount: Type.Optional(Type.Integer()),
  purchaseCountry: Type.Optional(Type.String()),
  locale: Type.Optional(Type.String()),
  paymentMethodType: Type.Optional(Type.String()),
  billingAddress: Type.Optional(Address),
  shippingAddress: Type.Optional(Address),
  customer: Type.Optional(Customer),
  merchantReference1: Type.Optional(Type.String()),
  merchantReference2: Type.Optional(Type.String()),
  merchantData: Type.Optional(Type.String()),
  /** When the authorization lapses: captures are refused after it. */
  expiresAtMs: Type.Optional(EpochMs),
  /** A pending order's fraud decision, and when it is made. */
  fraudDecision: Type.Optional(
    Type.Object({ status: Type.Union([Type.Literal('ACCEPTED'), Type.Literal('REJECTED')]), atMs: EpochMs }),
  ),
  cancelled: Type.Optional(Type.Boolean()),
  released: Type.Optional(Type.Boolean()),
  acknowledged: Type.Optional(Type.Boolean()),
  captures: Type.Optional(Type.Array(CaptureRecord)),
  refunds: Type.Optional(Type.Array(RefundRecord)),
  shippingInfo: Type.Optional(Type.Array(ShippingInfo)),
})
export type OrderRecord = Static<typeof OrderRecord>

/** A successful token order answered under a Klarna-Idempotency-Key (only successes are kept). */
export const IdempotencyRecord = Type.Object({
  bodyHash: Type.String(),
  expiresAtMs: EpochMs,
  body: Order,
})
export type IdempotencyRecord = Static<typeof IdempotencyRecord>

/** An Order Management answer kept under its Klarna-Idempotency-Key (24 hours): only the key matters. */
export const ReplyRecord = Type.Object({
  expiresAtMs: EpochMs,
  status: Type.Integer(),
  headers: Type.Record(Type.String(), Type.String()),
})
export type ReplyRecord = Static<typeof ReplyRecord>

/** A failed customer-present token charge that the customer can recover in a new session. */
export const StepUpRecord = Type.Object({
  id: Id,
  tokenId: Id,
  createdAtMs: EpochMs,
  expiresAtMs: EpochMs,
})
export type StepUpRecord = Static<typeof StepUpRecord>

/** An account-linking customer_token (intent buy_and_link). */
export const LinkRecord = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 1024 }),
  createdAtMs: EpochMs,
  lastUsedAtMs: EpochMs,
})
export type LinkRecord = Static<typeof LinkRecord>

/** A Hosted Payment Page session (HPP API v1) over a Payments session. */
export const HppSessionRecord = Type.Object({
  id: Id,
  paymentSessionId: Id,
  createdAtMs: EpochMs,
  updatedAtMs: EpochMs,
  expiresAtMs: EpochMs,
  status: HppStatus,
  merchantUrls: HppMerchantUrls,
  placeOrderMode: Type.Union([
    Type.Literal('NONE'),
    Type.Literal('PLACE_ORDER'),
    Type.Literal('CAPTURE_ORDER'),
  ]),
  /** The Payments categories the page offers (from options; all the session's when none). */
  categories: Type.Array(Type.String()),
  pageTitle: Type.Optional(Type.String({ maxLength: 1024 })),
  authorizationToken: Type.Optional(Id),
  orderId: Type.Optional(Id),
  distributions: Type.Array(Type.Object({ method: Type.String(), atMs: EpochMs }), { maxItems: 100 }),
})
export type HppSessionRecord = Static<typeof HppSessionRecord>

/** Each per-merchant collection and the schema of its records. */
export const collectionSchemas = {
  sessions: SessionRecord,
  authorizations: AuthorizationRecord,
  tokens: CustomerTokenRecord,
  orders: OrderRecord,
  idempotency: IdempotencyRecord,
  stepUps: StepUpRecord,
  links: LinkRecord,
  replies: ReplyRecord,
  hpp: HppSessionRecord,
} as const
export type { HppStatus } from './hpp.js'
export type CollectionName = keyof typeof collectionSchemas
export const collectionNames = Object.keys(collectionSchemas) as CollectionName[]
