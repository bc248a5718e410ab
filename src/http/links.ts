import type { FastifyRequest } from 'fastify'

/** Base of the links the mock hands out: --public-url, else the origin the caller used. */
export function baseUrl(request: FastifyRequest): string {
  const configured = request.server.mockOptions.publicBaseUrl
  if (configured !== undefined && configured !== '') return configured.replace(/\/+$/, '')
  // An HTTP/1.0 client may send no Host header: fall back to the address the request came to.
  const host =
    request.host !== undefined && request.host !== ''
      ? request.host
      : `${request.socket.localAddress ?? '127.0.0.1'}:${request.socket.localPort ?? ''}`
  return `${request.protocol}://${host}`
}
