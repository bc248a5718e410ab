import { clockOf, type Domain } from './context.js'
import { capturedAmount, orderStatus, refundedAmount } from './order-management.js'

/**
 * One merchant's objects as the dashboard (/_mock/ui) shows them: each with its state on the
 * merchant's virtual clock. Read-only; newest first; at most `limit` of each kind.
 */
export function merchantOverview(domain: Domain, merchant: string, limit = 200) {
  const state = domain.store.find(merchant)
  const clock = clockOf(domain, merchant)
  const now = clock.nowMs()
  const iso = (ms: number) => new Date(ms).toISOString()
  const newest = <T>(items: Iterable<T>, at: (x: T) => number) =>
    [...items].sort((a, b) => at(b) - at(a)).slice(0, limit)
  if (state === undefined) {
    return { merchant, now: iso(now), sessions: [], authorizations: [], tokens: [], orders: [], hpp: [] }
  }
  return {
    merchant,
    now: iso(now),
    sessions: newest(state.sessions.values(), (s) => s.createdAtMs).map((s) => ({
      session_id: s.id,
      created_at: iso(s.createdAtMs),
      expires_at: iso(s.expiresAtMs),
      state: now > s.expiresAtMs ? 'expired' : s.status,
      intent: s.intent,
      purchase_country: s.data.purchase_country,
      order_amount: s.data.order_amount,
      purchase_currency: s.data.purchase_currency,
      authorization_token: s.authorizationToken ?? null,
    })),
    authorizations: newest(state.authorizations.values(), (a) => a.createdAtMs).map((a) => ({
      authorization_token: a.token,
      session_id: a.sessionId,
      created_at: iso(a.createdAtMs),
      expires_at: iso(a.expiresAtMs),
      state:
        a.customerTokenId !== undefined || a.order !== undefined
          ? 'consumed'
          : now > a.expiresAtMs
            ? 'expired'
            : 'valid',
      payment_method_category: a.paymentMethodCategory,
      customer_token: a.customerTokenId ?? null,
      order_id: a.order?.response.order_id ?? null,
      outcome: a.outcome.kind === 'approved' ? a.outcome.fraudStatus : 'REJECTED',
    })),
    tokens: newest(state.tokens.values(), (t) => t.createdAtMs).map((t) => ({
      token_id: t.id,
      created_at: iso(t.createdAtMs),
      status: t.status,
      payment_method_type: t.paymentMethodType,
      purchase_country: t.purchaseCountry,
      purchase_currency: t.purchaseCurrency,
      description: t.description,
      step_up_required: t.stepUpRequired === true,
    })),
    orders: newest(state.orders.values(), (o) => o.createdAtMs).map((o) => ({
      order_id: o.id,
      created_at: iso(o.createdAtMs),
      source: o.source,
      status: orderStatus(now, o),
      order_amount: o.orderAmount,
      purchase_currency: o.purchaseCurrency,
      captured_amount: capturedAmount(o),
      refunded_amount: refundedAmount(o),
      captures: (o.captures ?? []).map((c) => ({ capture_id: c.id, amount: c.amount, at: iso(c.atMs) })),
      refunds: (o.refunds ?? []).map((r) => ({ refund_id: r.id, amount: r.amount, at: iso(r.atMs) })),
    })),
    hpp: newest(state.hpp.values(), (h) => h.createdAtMs).map((h) => ({
      session_id: h.id,
      payment_session_id: h.paymentSessionId,
      status: h.status,
      updated_at: iso(h.updatedAtMs),
      expires_at: iso(h.expiresAtMs),
    })),
  }
}
