import type { Scenario } from './scenario-files.js'
import type { Step } from '../schemas/scenario.js'
import type { Domain } from './context.js'
import { errors } from './errors.js'
import { newId } from './ids.js'
import { openStepUp } from './step-up.js'

/**
 * Scenarios at run time: forced outcomes (a Klarna error, a success variant, a transport fault),
 * loaded from their files by src/domain/scenario-files.ts. Picked per request by header, armed for a
 * merchant's next calls, or stuck to an authorization token. Framework-free: the HTTP layer
 * (src/http/scenarios.ts) carries them out.
 */

/** Klarna operations a scenario can name in applies_to ("*" = all of them). */
export const operations = [
  'createCreditSession',
  'readCreditSession',
  'updateCreditSession',
  'createOrder',
  'cancelAuthorization',
  'purchaseToken',
  'readCustomerToken',
  'patchCustomerToken',
  'createTokenOrder',
  'getOrder',
  'acknowledgeOrder',
  'updateAuthorization',
  'captureOrder',
  'getCaptures',
  'getCapture',
  'extendDueDate',
  'getOptionsForExtendDueDate',
  'appendShippingInfo',
  'triggerSendOut',
  'updateConsumerDetails',
  'extendAuthorizationTime',
  'updateMerchantReferences',
  'refundOrder',
  'getRefund',
  'releaseRemainingAuthorization',
  'appendOrderShippingInfo',
  'cancelOrder',
] as const

/** The operations made with an authorization token: where a scenario sticky to one can play. */
export const authorizationOperations = ['createOrder', 'cancelAuthorization', 'purchaseToken'] as const

interface Armed {
  scenario: Scenario
  remaining: number
  operation?: string | undefined
}

/** How many arms a merchant may have waiting at once. */
export const MAX_ARMED_PER_MERCHANT = 100
/** How many (merchant, sequence) positions are remembered; the oldest is forgotten beyond. */
export const MAX_SEQUENCE_POSITIONS = 10_000

/** The loaded scenarios, and per merchant what is armed and how far each sequence has gone. */
export class Scenarios {
  readonly #all: Map<string, Scenario>
  #armed = new Map<string, Armed[]>()
  #progress = new Map<string, number>()

  constructor(all: Map<string, Scenario>) {
    this.#all = all
  }

  list(): Scenario[] {
    return [...this.#all.values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  /** What GET /_mock/scenarios shows: status and code only where every pick answers one error. */
  summaries(): Array<{
    name: string
    description: string
    applies_to: string[]
    status?: number
    error_code?: string
  }> {
    return this.list().map((s) => {
      const only = s.steps.length === 1 || s.repeat ? s.steps[0] : undefined
      return {
        name: s.name,
        description: s.description,
        applies_to: s.appliesTo,
        ...(only?.error === undefined
          ? {}
          : { status: only.error.status, error_code: only.error.error_code }),
      }
    })
  }

  /**
   * A scenario that sticks to an authorization token (POST /_mock/authorizations {scenario}): it
   * must apply to a call made with that token, else it could never play and a test would pass
   * for the wrong reason.
   */
  sticky(name: string): Scenario {
    const scenario = this.get(name)
    if (!scenario.appliesTo.some((op) => (authorizationOperations as readonly string[]).includes(op))) {
      throw errors.mockBadRequest({
        message:
          `Scenario "${name}" applies to ${scenario.appliesTo.join(', ')}, never to a call made with an authorization token ` +
          `(${authorizationOperations.join(', ')}): arm it instead (POST /_mock/scenarios/arm) or send it in the Klarna-Mock-Scenario header`,
      })
    }
    return scenario
  }

  /** The named scenario, or a 400 listing the valid names. */
  get(name: string): Scenario {
    const scenario = this.#all.get(name)
    if (scenario === undefined) {
      throw errors.mockBadRequest({
        message: `Unknown scenario "${name}". Valid names: ${this.list()
          .map((s) => s.name)
          .join(', ')}`,
      })
    }
    return scenario
  }

  /** The named scenario for this operation, or a 400 that says what is wrong. */
  resolve(name: string, operation: string): Scenario {
    const scenario = this.get(name)
    if (!scenario.appliesTo.includes(operation)) {
      throw errors.mockBadRequest({
        message: `Scenario "${name}" does not apply to ${operation}; it applies to ${scenario.appliesTo.join(', ')}`,
      })
    }
    return scenario
  }

  arm(merchant: string, name: string, times: number, operation?: string): void {
    const scenario = this.get(name)
    if (operation !== undefined) {
      if (!(operations as readonly string[]).includes(operation)) {
        throw errors.mockBadRequest({
          message: `Unknown operation "${operation}". Known: ${operations.join(', ')}`,
        })
      }
      this.resolve(name, operation)
    }
    const list = this.#armed.get(merchant) ?? []
    if (list.length >= MAX_ARMED_PER_MERCHANT) {
      throw errors.mockBadRequest({
        message: `At most ${MAX_ARMED_PER_MERCHANT} scenarios can be armed at once; ${list.length} are waiting. Let them play or clear them (DELETE /_mock/scenarios/arm).`,
      })
    }
    list.push({ scenario, remaining: times, operation })
    this.#armed.set(merchant, list)
  }

  /** Whether anything is armed for this merchant (whatever the call): a check that takes nothing. */
  hasArmed(merchant: string): boolean {
    return this.#armed.has(merchant)
  }

  /** Takes one use of the first armed scenario that fits this call, if any. */
  takeArmed(merchant: string, operation: string): Scenario | undefined {
    const list = this.#armed.get(merchant)
    if (list === undefined) return undefined
    const i = list.findIndex(
      (a) => (a.operation ?? operation) === operation && a.scenario.appliesTo.includes(operation),
    )
    const armed = list[i]
    if (armed === undefined) return undefined
    armed.remaining -= 1
    if (armed.remaining <= 0) list.splice(i, 1)
    if (list.length === 0) this.#armed.delete(merchant)
    return armed.scenario
  }

  /** The step this pick of the scenario plays (per merchant), or undefined once a sequence is over. */
  nextStep(merchant: string, scenario: Scenario): Step | undefined {
    if (scenario.repeat) return scenario.steps[0]
    const key = `${merchant}\u0000${scenario.name}`
    const n = this.#progress.get(key) ?? 0
    this.#progress.delete(key)
    this.#progress.set(key, n + 1)
    if (this.#progress.size > MAX_SEQUENCE_POSITIONS) {
      this.#progress.delete(this.#progress.keys().next().value as string)
    }
    return scenario.steps[n]
  }

  /** Disarms everything and forgets sequence positions: everyone's, or one merchant's. */
  reset(merchant?: string): void {
    if (merchant === undefined) {
      this.#armed = new Map()
      this.#progress = new Map()
      return
    }
    this.#armed.delete(merchant)
    for (const key of [...this.#progress.keys()]) {
      if (key.startsWith(`${merchant}\u0000`)) this.#progress.delete(key)
    }
  }

  /** What is armed for this merchant, in the order it will play. */
  armed(merchant: string): Array<{ name: string; remaining: number; operation?: string | undefined }> {
    return (this.#armed.get(merchant) ?? []).map((a) => ({
      name: a.scenario.name,
      remaining: a.remaining,
      ...(a.operation === undefined ? {} : { operation: a.operation }),
    }))
  }

  /** Disarms this merchant's arms, or those of one scenario; returns how many went. */
  disarm(merchant: string, name?: string): number {
    const list = this.#armed.get(merchant) ?? []
    const kept = name === undefined ? [] : list.filter((a) => a.scenario.name !== name)
    if (kept.length === 0) this.#armed.delete(merchant)
    else this.#armed.set(merchant, kept)
    return list.length - kept.length
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

/** What a forced error quotes when the request names nothing known. */
const fallback = { country: 'SE', currency: 'SEK', type: 'INVOICE' } as const

/** Up to three leaf paths the request sent under its addresses and customer ("billing_address.city"). */
function sentFields(body: unknown): string[] {
  if (!isRecord(body)) return []
  const out: string[] = []
  for (const part of ['billing_address', 'shipping_address', 'customer']) {
    const value = body[part]
    if (!isRecord(value)) continue
    for (const [key, v] of Object.entries(value)) {
      if (v !== undefined && v !== '' && out.length < 3) out.push(`${part}.${key}`)
    }
  }
  return out
}

/**
 * What a forced error can quote from the request, so that a scenario answers about the call it
 * answers: {purchase_country}, {purchase_currency} (sent, or the authorization's or the token's),
 * {payment_method_category} (the authorization's or the token's), {fields} (what the request sent
 * under its addresses and customer), {step_up_id} (a real step-up of the token in the path, so
 * the recovery loop works), {order_id} (the order in the path), and "{authorized_payment_method}" as a whole
 * field (the token's).
 * A request that names nothing known (an unknown token) gets the mock's defaults: SE, SEK, INVOICE.
 */

export function requestTemplate(
  domain: Domain,
  merchant: string,
  params: Record<string, string>,
  body: unknown,
) {
  const state = domain.store.find(merchant)
  const authorization =
    params.authorizationToken === undefined ? undefined : state?.authorizations.get(params.authorizationToken)
  const session = authorization === undefined ? undefined : state?.sessions.get(authorization.sessionId)
  const token = params.customerToken === undefined ? undefined : state?.tokens.get(params.customerToken)
  const sent = isRecord(body) ? body : {}
  const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : undefined)
  let stepUpId: string | undefined
  const values: Record<string, () => string> = {
    purchase_country: () =>
      upper(sent.purchase_country) ??
      session?.data.purchase_country ??
      token?.purchaseCountry ??
      fallback.country,
    purchase_currency: () =>
      upper(sent.purchase_currency) ??
      session?.data.purchase_currency ??
      token?.purchaseCurrency ??
      fallback.currency,
    payment_method_category: () =>
      authorization?.paymentMethodCategory ??
      token?.paymentMethodCategory ??
      (typeof sent.payment_method_category === 'string' ? sent.payment_method_category : 'pay_later'),
    fields: () => {
      const f = sentFields(body)
      return f.length > 0 ? f.join(', ') : 'billing_address.postal_code'
    },
    step_up_id: () => (stepUpId ??= token === undefined ? newId() : openStepUp(domain, merchant, token.id)),
    order_id: () => params.order_id ?? '',
  }
  const text = (s: string): string =>
    s.replace(/\{([a-z_]+)\}/g, (whole, name: string) => values[name]?.() ?? whole)
  const apm = () => {
    const type = token?.paymentMethodType ?? authorization?.paymentMethodType ?? fallback.type
    const found = domain.catalog.types.get(type)?.authorized_payment_method
    return found === undefined ? undefined : { ...found }
  }
  const fields = (extra: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(extra)) {
      if (value === '{authorized_payment_method}') {
        const v = apm()
        if (v !== undefined) out[key] = v
      } else out[key] = typeof value === 'string' ? text(value) : value
    }
    return out
  }
  return { text, fields }
}
