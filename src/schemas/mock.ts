import { Type } from '../typebox.js'
import { Country, Currency, Locale } from './common.js'
import { Address, Customer, IntentSchema, MerchantUrls, OrderLine } from './klarna.js'

/** Shapes of the /_mock control API. */

export const Health = Type.Object({ status: Type.Literal('ok') })

export const authorizeFields = {
  payment_method_category: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description:
        'Category the customer picks (default pay_later): klarna, pay_later, pay_now, pay_over_time, direct_bank_transfer, direct_debit.',
    }),
  ),
  payment_method_type: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description:
        "Mock extension: the token's payment method type (e.g. PAY_BY_CARD for a card token). Default: the category's.",
    }),
  ),
  billing_address: Type.Optional(Address),
  shipping_address: Type.Optional(Address),
  customer: Type.Optional(Customer),
  scenario: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'A scenario applied to every call made with the authorization token.',
    }),
  ),
}

export const AuthorizeRequest = Type.Object(authorizeFields)

export const AuthorizeResponse = Type.Object({
  approved: Type.Boolean(),
  show_form: Type.Boolean(),
  authorization_token: Type.Optional(Type.String()),
  finalize_required: Type.Optional(Type.Boolean()),
  reason: Type.Optional(Type.String()),
})

export const MintRequest = Type.Object({
  purchase_country: Type.Optional(Country),
  purchase_currency: Type.Optional(Currency),
  locale: Type.Optional(Locale),
  intent: Type.Optional(IntentSchema),
  order_amount: Type.Optional(Type.Integer({ minimum: 0 })),
  order_tax_amount: Type.Optional(Type.Integer({ minimum: 0 })),
  order_lines: Type.Optional(Type.Array(OrderLine, { minItems: 1, maxItems: 1000 })),
  merchant_urls: Type.Optional(MerchantUrls),
  ...authorizeFields,
})

export const MintResponse = Type.Object({
  authorization_token: Type.String(),
  session_id: Type.String(),
  expires_at: Type.String({ format: 'date-time' }),
})

/**
 * GET /_mock/redirect: a redirect_url's query (src/domain/links.ts): s (session), w (what happened),
 * o (order), c (confirmation URL) and tag; or link, the form of earlier versions. All optional: a
 * link that lacks a part is unknown (404), not a malformed request.
 */
export const RedirectQuery = Type.Object({
  s: Type.Optional(Type.String({ maxLength: 1024 })),
  w: Type.Optional(Type.String({ maxLength: 1024 })),
  o: Type.Optional(Type.String({ maxLength: 1024 })),
  c: Type.Optional(Type.String({ maxLength: 8192 })),
  tag: Type.Optional(Type.String({ maxLength: 64 })),
  link: Type.Optional(Type.String({ minLength: 1, maxLength: 8192 })),
})

export const ClockAdvance = Type.Object(
  {
    advance_seconds: Type.Number({ minimum: 0, maximum: 10 * 365 * 24 * 3600 }),
  },
  { required: ['advance_seconds'] },
)

export const ClockResponse = Type.Object({ now: Type.String({ format: 'date-time' }) })

export const TokenStatusControl = Type.Object({
  status: Type.Union([Type.Literal('ACTIVE'), Type.Literal('SUSPENDED'), Type.Literal('CANCELLED')]),
})

export const TokenStatusControlResponse = Type.Object({ token_id: Type.String(), status: Type.String() })

export const JournalEntrySchema = Type.Object({
  correlation_id: Type.String(),
  time: Type.String({ format: 'date-time' }),
  method: Type.String(),
  path: Type.String(),
  merchant: Type.Union([Type.String(), Type.Null()]),
  operation: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Integer(), Type.Null()]),
  scenario: Type.Union([Type.String(), Type.Null()]),
  fault: Type.Union([Type.String(), Type.Null()]),
  request_headers: Type.Record(Type.String(), Type.String()),
  request_body: Type.Unknown({
    description:
      'The body as received: its JSON value, or its text when it is not JSON, nested deeper than 32 levels, or cut.',
  }),
  request_body_truncated: Type.Boolean({
    description: 'The body was longer than 16 KiB and is shown cut, as text.',
  }),
  response_body: Type.Unknown(),
  response_body_truncated: Type.Boolean(),
})

export const CallbackEntry = Type.Object({
  id: Type.Integer(),
  merchant: Type.String(),
  kind: Type.String(),
  url: Type.String(),
  body: Type.Record(Type.String(), Type.Unknown()),
  due_at: Type.String({ format: 'date-time' }),
  state: Type.String(),
  attempts: Type.Integer(),
  last_result: Type.Union([Type.String(), Type.Null()]),
})
