import { Type } from '../../typebox.js'
import type { FastifyRequest } from 'fastify'
import { errors } from '../../domain/errors.js'

export const tags = ['Control API (/_mock)']

/** `?merchant=`: whose state a control call acts on (the operator only; `*` is everyone). */
export const MerchantQuery = Type.Object({
  merchant: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 1024,
      description:
        'Operator only: the merchant to act on, or * for every merchant (where the call allows it).',
    }),
  ),
})

/**
 * Whose state a control call acts on: the caller's own merchant, or, for the operator, the one
 * named by `?merchant=` (`*` = everyone, where `all` allows it). Anyone else naming another
 * merchant gets 403: nothing crosses merchants without the operator credential.
 */
export function target(request: FastifyRequest, { all = false } = {}): string | undefined {
  const asked = (request.query as { merchant?: string } | undefined)?.merchant
  if (asked === undefined || asked === request.merchant) return request.merchant
  if (!request.operator) {
    throw errors.operatorOnly()
  }
  if (asked === '*') {
    if (!all) {
      throw errors.mockBadRequest({ message: 'Name one merchant: this call cannot act on all of them' })
    }
    return undefined
  }
  return asked
}

/** The one merchant a call acts on (no `*`). */
export const oneTarget = (request: FastifyRequest): string => target(request) as string
