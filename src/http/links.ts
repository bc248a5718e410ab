import type { Socket } from 'node:net'
import type { FastifyRequest } from 'fastify'

/**
 * Base of the links the mock hands out: --public-url (`configured`), else the origin the caller
 * used: its Host header, or for an HTTP/1.0 client that sent none, the address the request came to.
 */
export function originOf(configured: string | undefined, host: string | undefined, socket: Socket): string {
  if (configured !== undefined && configured !== '') return configured.replace(/\/+$/, '')
  const protocol = (socket as Socket & { encrypted?: boolean }).encrypted === true ? 'https' : 'http'
  const where =
    host !== undefined && host !== ''
      ? host
      : `${socket.localAddress ?? '127.0.0.1'}:${socket.localPort ?? ''}`
  return `${protocol}://${where}`
}

/** originOf() for a request Fastify routed. */
export function baseUrl(request: FastifyRequest): string {
  return originOf(request.server.mockOptions.publicBaseUrl, request.host, request.socket)
}
