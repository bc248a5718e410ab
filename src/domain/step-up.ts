import type { Domain } from './context.js'
import { clockOf } from './context.js'
import { type KlarnaError, errors } from './errors.js'
import { newId } from './ids.js'
import type { Authorization, CustomerToken } from './store.js'

/**
 * Recovering a failed token charge (Klarna's "Recover token charge failure" and "Step-up" pages).
 * A token order sent with `step_up: "SUPPORTED"` (the customer is present) that cannot be charged
 * answers 403 UNAVAILABLE_PAYMENT_METHOD with fraud_status REJECTED, a reason, the token's
 * authorized_payment_method and a `step_up_id`. The merchant opens a new payment session with
 * that `step_up_id` (and the `customer_token`), the customer authorizes in the widget, and the
 * order placed from that authorization recovers the token: it can be charged again, with the
 * payment method the customer chose.
 *
 * In the mock a token needs a step-up when it was made from the playground's authentication-flow
 * e-mail (`customer+auth_…@…`), or when the `token-step-up-required` scenario plays.
 */

/** How long a step_up_id can be used to open the recovery session (a payment session's lifetime). */
const stepUpLifetimeMs = (domain: Domain) => domain.settings.sessionLifetimeSeconds * 1000

/** Registers a step-up for the token; returns its id. */
export function openStepUp(domain: Domain, merchant: string, tokenId: string): string {
  const now = clockOf(domain, merchant).nowMs()
  const id = newId()
  domain.store
    .merchant(merchant)
    .stepUps.set(id, { id, tokenId, createdAtMs: now, expiresAtMs: now + stepUpLifetimeMs(domain) })
  return id
}

/** The 403 of a token charge that needs the customer (with a step_up_id when the merchant supports step-up). */
export function stepUpError(
  domain: Domain,
  merchant: string,
  token: CustomerToken,
  supported: boolean,
): KlarnaError {
  const apm = domain.catalog.types.get(token.paymentMethodType)?.authorized_payment_method
  return errors.stepUpRequired({
    extra: {
      fraud_status: 'REJECTED',
      reason: 'STEP_UP_REQUIRED',
      ...(apm === undefined ? {} : { authorized_payment_method: { ...apm } }),
      ...(supported ? { step_up_id: openStepUp(domain, merchant, token.id) } : {}),
    },
  })
}

/**
 * A session opened to recover: the step_up_id must be this merchant's and alive, and the
 * customer_token, if sent, the one it was issued for. Returns the step_up_id to keep.
 */
export function checkStepUp(
  domain: Domain,
  merchant: string,
  stepUpId: string,
  customerToken: string | undefined,
): string {
  const stepUp = domain.store.find(merchant)?.stepUps.get(stepUpId)
  if (stepUp === undefined || clockOf(domain, merchant).nowMs() > stepUp.expiresAtMs) {
    throw errors.badValue({ fields: ['step_up_id'] })
  }
  if (customerToken !== undefined && customerToken !== stepUp.tokenId) {
    throw errors.badValue({ fields: ['customer_token'] })
  }
  return stepUpId
}

/** The order of the recovery session was placed: the token can be charged again, with the chosen method. */
export function recoverToken(
  domain: Domain,
  merchant: string,
  stepUpId: string,
  authorization: Authorization,
): void {
  const state = domain.store.merchant(merchant)
  const stepUp = state.stepUps.get(stepUpId)
  if (stepUp === undefined) return
  const token = state.tokens.get(stepUp.tokenId)
  state.stepUps.delete(stepUpId)
  if (token === undefined) return
  token.stepUpRequired = undefined
  token.paymentMethodCategory = authorization.paymentMethodCategory
  token.paymentMethodType = authorization.paymentMethodType
  state.tokens.touch(token.id, token)
}
