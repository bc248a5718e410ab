/**
 * The two calls src/http/fast-lane.ts answers in front of Fastify, named once for it and for their
 * routes (src/routes/customer-token/, src/routes/payments/): the route's URL, as Fastify knows it,
 * and its operationId (Klarna's name of the call, which the journal shows).
 */
export const tokenRead = {
  url: '/customer-token/v1/tokens/:customerToken',
  operationId: 'readCustomerToken',
} as const

export const tokenCreation = {
  url: '/payments/v1/authorizations/:authorizationToken/customer-token',
  operationId: 'purchaseToken',
} as const
