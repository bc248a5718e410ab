import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from '../../typebox.js'
import {
  acknowledgeOrder,
  appendShippingInfo,
  cancelOrder,
  captureOrder,
  dueDateOptions,
  extendAuthorization,
  extendDueDate,
  listCaptures,
  readCapture,
  readOrder,
  readRefund,
  refundOrder,
  releaseRemaining,
  triggerSendOut,
  updateAuthorization,
  updateCustomerDetails,
  updateMerchantReferences,
  withIdempotency,
  type Reply,
} from '../../domain/order-management.js'
import { rateLimitHooks } from '../../http/rate-limits.js'
import { scenarioHooks } from '../../http/scenarios.js'
import { created, merchantErrors, noContent } from '../../schemas/common.js'
import { examples, withExample } from '../../schemas/examples.js'
import {
  CaptureRequest,
  CaptureView,
  ExtendDueDateOptions,
  ExtendDueDateRequest,
  MerchantOrder,
  OmCaptureParams,
  OmOrderParams,
  OmRefundParams,
  RefundRequest,
  RefundView,
  UpdateAuthorization,
  UpdateConsumer,
  UpdateMerchantReferences,
  UpdateShippingInfo,
} from '../../schemas/order-management.js'
import { named } from '../../http/named.js'

const tags = ['Order Management API v1']
const base = '/ordermanagement/v1/orders'

/** The Klarna-Idempotency-Key of a request (not a `headers` schema: see the token-order route). */
const keyOf = (request: FastifyRequest) => {
  const key = request.headers['klarna-idempotency-key']
  return Array.isArray(key) ? key[0] : key
}

/** Sends an answer without a body, replayed or not. */
function send(reply: FastifyReply, answer: Reply & { replayed: boolean }): FastifyReply {
  for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value)
  if (answer.replayed) reply.header('Klarna-Idempotent-Replayed', 'true')
  return reply.code(answer.status).send()
}

const ok204: Reply = { status: 204, headers: {} }

/**
 * Klarna Order Management API v1, for every order the mock places (from authorizations and
 * customer tokens). Rules in src/domain/order-management.ts.
 */
const orderManagement: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.basicAuth)
  rateLimitHooks(app, app.mockOptions.rateLimits ?? 'off')
  scenarioHooks(app)
  const domain = app.domain
  const idempotent = (request: FastifyRequest, reply: FastifyReply, run: () => Reply) =>
    send(reply, withIdempotency(domain, request.merchant, keyOf(request), run))

  app.get(
    `${base}/:order_id`,
    {
      schema: {
        operationId: 'getOrder',
        tags,
        summary: 'Read an order',
        description:
          'Status, fraud status, amounts (original, captured, refunded, remaining), lines, addresses, references, captures and refunds.',
        params: OmOrderParams,
        response: { 200: MerchantOrder, ...merchantErrors },
      },
    },
    async (request) => readOrder(domain, request.merchant, request.params.order_id),
  )

  app.post(
    `${base}/:order_id/acknowledge`,
    {
      schema: {
        operationId: 'acknowledgeOrder',
        tags,
        summary: 'Acknowledge an order',
        description: 'Says the merchant has the order; 204.',
        params: OmOrderParams,
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, () => {
        acknowledgeOrder(domain, request.merchant, request.params.order_id)
        return ok204
      }),
  )

  app.patch(
    `${base}/:order_id/authorization`,
    {
      schema: {
        operationId: 'updateAuthorization',
        tags,
        summary: 'Update the order amount and lines',
        description:
          'A new order amount (and lines that add up to it), never below what was captured; not on a cancelled, expired or closed order.',
        params: OmOrderParams,
        body: withExample(UpdateAuthorization, examples.updateAuthorization),
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, () => {
        updateAuthorization(domain, request.merchant, request.params.order_id, request.body)
        return ok204
      }),
  )

  app.post(
    `${base}/:order_id/captures`,
    {
      schema: {
        operationId: 'captureOrder',
        tags,
        summary: 'Capture an order',
        description:
          'At most the remaining authorized amount; not on a cancelled, expired, closed or pending-fraud order. 201, Capture-Id and Location, no body.',
        params: OmOrderParams,
        body: withExample(CaptureRequest, examples.capture),
        response: { ...created, ...merchantErrors },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, () => {
        const capture = captureOrder(domain, request.merchant, request.params.order_id, request.body)
        return {
          status: 201,
          headers: {
            'Capture-Id': capture.id,
            Location: `${base}/${request.params.order_id}/captures/${capture.id}`,
          },
        }
      }),
  )

  app.get(
    `${base}/:order_id/captures`,
    {
      schema: {
        operationId: 'getCaptures',
        tags,
        summary: 'List the captures',
        description: 'Every capture of the order, oldest first.',
        params: OmOrderParams,
        response: { 200: Type.Array(CaptureView), ...merchantErrors },
      },
    },
    async (request) => listCaptures(domain, request.merchant, request.params.order_id),
  )

  app.get(
    `${base}/:order_id/captures/:capture_id`,
    {
      schema: {
        operationId: 'getCapture',
        tags,
        summary: 'Read a capture',
        description: 'One capture, with what was refunded of it.',
        params: OmCaptureParams,
        response: { 200: CaptureView, ...merchantErrors },
      },
    },
    async (request) =>
      readCapture(domain, request.merchant, request.params.order_id, request.params.capture_id),
  )

  app.patch(
    `${base}/:order_id/captures/:capture_id/extend-due-date`,
    {
      schema: {
        operationId: 'extendDueDate',
        tags,
        summary: "Extend a capture's due date",
        description: 'Invoice captures only, once, by one of the offered numbers of days.',
        params: OmCaptureParams,
        body: withExample(ExtendDueDateRequest, examples.extendDueDate),
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, () => {
        extendDueDate(
          domain,
          request.merchant,
          request.params.order_id,
          request.params.capture_id,
          request.body.number_of_days,
        )
        return ok204
      }),
  )

  app.get(
    `${base}/:order_id/captures/:capture_id/extend-due-date-options`,
    {
      schema: {
        operationId: 'getOptionsForExtendDueDate',
        tags,
        summary: 'Options for extending a due date',
        description:
          'The numbers of days a due date can be extended by, with the fee of each (invoice captures only).',
        params: OmCaptureParams,
        response: { 200: ExtendDueDateOptions, ...merchantErrors },
      },
    },
    async (request) =>
      dueDateOptions(domain, request.merchant, request.params.order_id, request.params.capture_id),
  )

  app.post(
    `${base}/:order_id/captures/:capture_id/shipping-info`,
    {
      schema: {
        operationId: 'appendShippingInfo',
        tags,
        summary: 'Add shipping info to a capture',
        description: 'Appends tracking details to the capture; 204.',
        params: OmCaptureParams,
        body: withExample(UpdateShippingInfo, examples.shippingInfo),
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, () => {
        appendShippingInfo(
          domain,
          request.merchant,
          request.params.order_id,
          request.body.shipping_info,
          request.params.capture_id,
        )
        return ok204
      }),
  )

  app.post(
    `${base}/:order_id/captures/:capture_id/trigger-send-out`,
    {
      schema: {
        operationId: 'triggerSendOut',
        tags,
        summary: 'Resend customer communication',
        description: "Klarna would resend the capture's invoice or notice; 204.",
        params: OmCaptureParams,
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, () => {
        triggerSendOut(domain, request.merchant, request.params.order_id, request.params.capture_id)
        return ok204
      }),
  )

  app.patch(
    `${base}/:order_id/customer-details`,
    {
      schema: {
        operationId: 'updateConsumerDetails',
        tags,
        summary: 'Update the shipping address',
        description: 'The billing address cannot be changed; not on a cancelled, expired or closed order.',
        params: OmOrderParams,
        body: withExample(UpdateConsumer, examples.customerDetails),
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, () => {
        updateCustomerDetails(
          domain,
          request.merchant,
          request.params.order_id,
          request.body.shipping_address,
        )
        return ok204
      }),
  )

  app.post(
    `${base}/:order_id/extend-authorization-time`,
    {
      schema: {
        operationId: 'extendAuthorizationTime',
        tags,
        summary: 'Extend the authorization time',
        description:
          'The authorization then expires 28 days from now, never later than 180 days after the order; not for expired or cancelled orders, Pay Now by card, or US financing.',
        params: OmOrderParams,
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, () => {
        extendAuthorization(domain, request.merchant, request.params.order_id)
        return ok204
      }),
  )

  app.patch(
    `${base}/:order_id/merchant-references`,
    {
      schema: {
        operationId: 'updateMerchantReferences',
        tags,
        summary: 'Update the merchant references',
        description: 'merchant_reference1 and 2; not on a cancelled order.',
        params: OmOrderParams,
        body: withExample(UpdateMerchantReferences, examples.merchantReferences),
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, () => {
        updateMerchantReferences(domain, request.merchant, request.params.order_id, request.body)
        return ok204
      }),
  )

  app.post(
    `${base}/:order_id/refunds`,
    {
      schema: {
        operationId: 'refundOrder',
        tags,
        summary: 'Refund',
        description: 'At most what was captured and not yet refunded. 201, Refund-Id and Location, no body.',
        params: OmOrderParams,
        body: withExample(RefundRequest, examples.refund),
        response: { ...created, ...merchantErrors },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, () => {
        const refund = refundOrder(domain, request.merchant, request.params.order_id, request.body)
        return {
          status: 201,
          headers: {
            'Refund-Id': refund.id,
            Location: `${base}/${request.params.order_id}/refunds/${refund.id}`,
          },
        }
      }),
  )

  app.get(
    `${base}/:order_id/refunds/:refund_id`,
    {
      schema: {
        operationId: 'getRefund',
        tags,
        summary: 'Read a refund',
        description: 'One refund of the order.',
        params: OmRefundParams,
        response: { 200: RefundView, ...merchantErrors },
      },
    },
    async (request) =>
      readRefund(domain, request.merchant, request.params.order_id, request.params.refund_id),
  )

  app.post(
    `${base}/:order_id/release-remaining-authorization`,
    {
      schema: {
        operationId: 'releaseRemainingAuthorization',
        tags,
        summary: 'Release the remaining authorization',
        description:
          'Nothing more can be captured; the order is CLOSED. Not when cancelled or with nothing captured.',
        params: OmOrderParams,
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, () => {
        releaseRemaining(domain, request.merchant, request.params.order_id)
        return ok204
      }),
  )

  app.post(
    `${base}/:order_id/shipping-info`,
    {
      schema: {
        operationId: 'appendOrderShippingInfo',
        tags,
        summary: 'Add shipping info to an order',
        description: 'Appends tracking details to the order; 204.',
        params: OmOrderParams,
        body: withExample(UpdateShippingInfo, examples.shippingInfo),
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, () => {
        appendShippingInfo(domain, request.merchant, request.params.order_id, request.body.shipping_info)
        return ok204
      }),
  )

  app.post(
    `${base}/:order_id/cancel`,
    {
      schema: {
        operationId: 'cancelOrder',
        tags,
        summary: 'Cancel an order',
        description: 'Only while nothing is captured; 204.',
        params: OmOrderParams,
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, () => {
        cancelOrder(domain, request.merchant, request.params.order_id)
        return ok204
      }),
  )
}

export default named('order management', orderManagement)
