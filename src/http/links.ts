import type { FastifyRequest } from 'fastify'

/** Base of the links the mock hands out: --public-url, else the origin the caller used. */
export function baseUrl (request: FastifyRequest): string {
  const configured = request.server.mockOptions.publicBaseUrl
  if (configured !== undefined && configured !== '') return configured.replace(/\/+$/, '')
  return `${request.protocol}://${request.host}`
}
