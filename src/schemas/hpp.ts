import { Type } from '../typebox.js'
import type { Static } from '@sinclair/typebox'

/**
 * Klarna's Hosted Payment Page API v1 shapes (Klarna's published spec; a copy in
 * test/openapi/klarna-hpp-v1.yml).
 */

const Url = Type.String({ maxLength: 2048 })
const Category = Type.Union(
  ['DIRECT_DEBIT', 'DIRECT_BANK_TRANSFER', 'PAY_NOW', 'PAY_LATER', 'PAY_OVER_TIME', 'KLARNA'].map((c) =>
    Type.Literal(c),
  ),
)

/**
 * The statuses an HPP session of the mock takes (Klarna's MANUAL_ID_CHECK needs in-store identification: not
 * emulated).
 */
export const HppStatus = Type.Union(
  ['WAITING', 'BACK', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'FAILED', 'DISABLED', 'ERROR'].map((s) =>
    Type.Literal(s),
  ),
)
export type HppStatus = Static<typeof HppStatus>

export const HppMerchantUrls = Type.Object({
  success: Type.Optional(Url),
  cancel: Type.Optional(Url),
  back: Type.Optional(Url),
  failure: Type.Optional(Url),
  error: Type.Optional(Url),
  status_update: Type.Optional(Url),
})

export const HppOptions = Type.Object({
  background_images: Type.Optional(
    Type.Array(Type.Object({ url: Type.Optional(Url), width: Type.Optional(Type.Integer()) }), {
      maxItems: 20,
    }),
  ),
  logo_url: Type.Optional(Url),
  page_title: Type.Optional(Type.String({ maxLength: 1024 })),
  payment_method_categories: Type.Optional(Type.Array(Category, { minItems: 1, maxItems: 6 })),
  payment_method_category: Type.Optional(Category),
  place_order_mode: Type.Optional(
    Type.Union([Type.Literal('PLACE_ORDER'), Type.Literal('CAPTURE_ORDER'), Type.Literal('NONE')]),
  ),
  purchase_type: Type.Optional(
    Type.Union(
      ['BUY', 'RENT', 'BOOK', 'SUBSCRIBE', 'DOWNLOAD', 'ORDER', 'CONTINUE'].map((c) => Type.Literal(c)),
    ),
  ),
  show_subtotal_detail: Type.Optional(Type.Literal('HIDE')),
})

export const HppSessionCreate = Type.Object(
  {
    payment_session_url: Type.String({ minLength: 1, maxLength: 2048 }),
    merchant_urls: Type.Optional(HppMerchantUrls),
    options: Type.Optional(HppOptions),
    profile_id: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { required: ['payment_session_url'] },
)
export type HppSessionCreate = Static<typeof HppSessionCreate>

export const HppSessionCreated = Type.Object({
  session_id: Type.String(),
  session_url: Type.String(),
  redirect_url: Type.String(),
  qr_code_url: Type.String(),
  distribution_url: Type.String(),
  distribution_module: Type.Object({
    generation_url: Type.String(),
    standalone_url: Type.String(),
    token: Type.String(),
  }),
  expires_at: Type.String({ format: 'date-time' }),
})

export const HppSessionView = Type.Object({
  session_id: Type.String(),
  status: HppStatus,
  updated_at: Type.String({ format: 'date-time' }),
  expires_at: Type.String({ format: 'date-time' }),
  authorization_token: Type.Optional(Type.String()),
  order_id: Type.Optional(Type.String()),
})

export const HppDistribution = Type.Object(
  {
    method: Type.Union([Type.Literal('sms'), Type.Literal('email'), Type.Literal('token')]),
    contact_information: Type.Object({
      email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
      phone: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
      phone_country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })),
      access_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    }),
    template: Type.Optional(Type.Literal('INSTORE_PURCHASE')),
  },
  { required: ['method', 'contact_information'] },
)

export const HppParams = Type.Object({ session_id: Type.String({ minLength: 1, maxLength: 255 }) })
