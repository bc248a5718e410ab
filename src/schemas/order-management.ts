import { Type } from '../typebox.js'
import type { Static } from '@sinclair/typebox'
import { Address, OrderLine } from './klarna.js'

/**
 * Klarna Order Management API v1 shapes (the spec in test/openapi/klarna-order-management-v1.yml):
 * requests as Klarna validates them, answers as they are serialized.
 */

const S = (max: number) => Type.String({ maxLength: max })
const Amount = Type.Integer({ minimum: 0, maximum: 200000000 })

export const ShippingInfo = Type.Object({
  shipping_company: Type.Optional(S(100)),
  shipping_method: Type.Optional(
    Type.String({
      pattern:
        '^(PickUpStore|Home|BoxReg|BoxUnreg|PickUpPoint|Own|Postal|DHLPackstation|Digital|Undefined|PickUpWarehouse|ClickCollect|PalletDelivery)$',
    }),
  ),
  tracking_number: Type.Optional(S(100)),
  tracking_uri: Type.Optional(S(1024)),
  return_shipping_company: Type.Optional(S(100)),
  return_tracking_number: Type.Optional(S(100)),
  return_tracking_uri: Type.Optional(S(1024)),
})
export type ShippingInfo = Static<typeof ShippingInfo>

export const CaptureRequest = Type.Object({
  captured_amount: Amount,
  description: Type.Optional(S(255)),
  order_lines: Type.Optional(Type.Array(OrderLine, { maxItems: 1000 })),
  reference: Type.Optional(S(255)),
  shipping_delay: Type.Optional(Type.Integer({ minimum: 0 })),
  shipping_info: Type.Optional(Type.Array(ShippingInfo, { maxItems: 500 })),
})
export type CaptureRequest = Static<typeof CaptureRequest>

export const RefundRequest = Type.Object({
  refunded_amount: Amount,
  description: Type.Optional(S(255)),
  order_lines: Type.Optional(Type.Array(OrderLine, { maxItems: 1000 })),
  reference: Type.Optional(S(255)),
})
export type RefundRequest = Static<typeof RefundRequest>

export const UpdateAuthorization = Type.Object({
  order_amount: Amount,
  description: Type.Optional(S(255)),
  order_lines: Type.Optional(Type.Array(OrderLine, { maxItems: 1000 })),
})
export type UpdateAuthorization = Static<typeof UpdateAuthorization>

export const UpdateMerchantReferences = Type.Object({
  merchant_reference1: Type.Optional(S(255)),
  merchant_reference2: Type.Optional(S(255)),
})

export const UpdateConsumer = Type.Object({ shipping_address: Type.Optional(Address) })

export const UpdateShippingInfo = Type.Object({
  shipping_info: Type.Array(ShippingInfo, { minItems: 1, maxItems: 500 }),
})

export const ExtendDueDateRequest = Type.Object({ number_of_days: Type.Integer({ minimum: 1 }) })

export const ExtendDueDateOptions = Type.Object({
  currency: Type.String(),
  options: Type.Array(Type.Object({ number_of_days: Type.Integer(), amount: Type.Integer() })),
})

export const OmOrderParams = Type.Object({ order_id: Type.String({ minLength: 1, maxLength: 255 }) })
export const OmCaptureParams = Type.Object({
  order_id: Type.String({ minLength: 1, maxLength: 255 }),
  capture_id: Type.String({ minLength: 1, maxLength: 255 }),
})
export const OmRefundParams = Type.Object({
  order_id: Type.String({ minLength: 1, maxLength: 255 }),
  refund_id: Type.String({ minLength: 1, maxLength: 255 }),
})

const OmAddress = Type.Object({
  attention: Type.Optional(Type.String()),
  city: Type.Optional(Type.String()),
  country: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  family_name: Type.Optional(Type.String()),
  given_name: Type.Optional(Type.String()),
  organization_name: Type.Optional(Type.String()),
  phone: Type.Optional(Type.String()),
  postal_code: Type.Optional(Type.String()),
  region: Type.Optional(Type.String()),
  street_address: Type.Optional(Type.String()),
  street_address2: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
})

export const CaptureView = Type.Object({
  capture_id: Type.String(),
  klarna_reference: Type.String(),
  captured_amount: Type.Integer(),
  captured_at: Type.String({ format: 'date-time' }),
  description: Type.Optional(Type.String()),
  order_lines: Type.Array(OrderLine),
  refunded_amount: Type.Integer(),
  reference: Type.Optional(Type.String()),
  billing_address: Type.Optional(OmAddress),
  shipping_address: Type.Optional(OmAddress),
  shipping_info: Type.Array(ShippingInfo),
})

export const RefundView = Type.Object({
  refund_id: Type.String(),
  refunded_amount: Type.Integer(),
  refunded_at: Type.String({ format: 'date-time' }),
  description: Type.Optional(Type.String()),
  order_lines: Type.Array(OrderLine),
  reference: Type.Optional(Type.String()),
})

export const OrderStatus = Type.Union(
  ['AUTHORIZED', 'PART_CAPTURED', 'CAPTURED', 'CANCELLED', 'EXPIRED', 'CLOSED'].map((s) => Type.Literal(s)),
)

export const MerchantOrder = Type.Object({
  order_id: Type.String(),
  status: OrderStatus,
  fraud_status: Type.String(),
  order_amount: Type.Integer(),
  original_order_amount: Type.Integer(),
  captured_amount: Type.Integer(),
  refunded_amount: Type.Integer(),
  remaining_authorized_amount: Type.Integer(),
  purchase_currency: Type.String(),
  purchase_country: Type.Optional(Type.String()),
  locale: Type.Optional(Type.String()),
  order_lines: Type.Array(OrderLine),
  billing_address: Type.Optional(OmAddress),
  shipping_address: Type.Optional(OmAddress),
  customer: Type.Optional(
    Type.Object({
      date_of_birth: Type.Optional(Type.String()),
      national_identification_number: Type.Optional(Type.String()),
    }),
  ),
  merchant_reference1: Type.Optional(Type.String()),
  merchant_reference2: Type.Optional(Type.String()),
  merchant_data: Type.Optional(Type.String()),
  klarna_reference: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  expires_at: Type.String({ format: 'date-time' }),
  captures: Type.Array(CaptureView),
  refunds: Type.Array(RefundView),
  shipping_info: Type.Array(ShippingInfo),
  initial_payment_method: Type.Optional(
    Type.Object({
      type: Type.String(),
      description: Type.String(),
      number_of_installments: Type.Optional(Type.Integer()),
    }),
  ),
})
