import { newId } from '../domain/ids.js'
import { STATUS_CODES, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyBaseLogger } from 'fastify'
import { answerRefused } from './linger.js'

/**
 * Requests Node's HTTP parser refuses before Fastify sees them, answered in Klarna's shape with a
 * Klarna-Correlation-Id (Node and Fastify would answer `{"error":"Bad Request",…}`):
 *
 * | what the client sent                                   | answer                              |
 * |--------------------------------------------------------|-------------------------------------|
 * | headers over 16 KiB (Node's --max-http-header-size)    | 431 BAD_REQUEST                     |
 * | the request not received in full within the timeout    | 408 REQUEST_TIMEOUT                 |
 * | a bad or negative Content-Length                       | 400 BAD_REQUEST                     |
 * | Content-Length together with Transfer-Encoding         | 400 BAD_REQUEST                     |
 * | an unknown method, a malformed request line or header  | 400 BAD_REQUEST                     |
 *
 * The connection is closed after the answer (the parser cannot find the next request). These
 * never reach the journal or the request log (there is no request): they are logged at debug.
 * What cannot be answered at all: a client that closed or reset its connection.
 */

function describe(
  err: { code?: string | undefined; reason?: string },
  requestTimeoutMs: number,
): [number, string, string] {
  if (/Content-Length/i.test(err.reason ?? '') && /Transfer-Encoding/i.test(err.reason ?? '')) {
    return [400, 'BAD_REQUEST', 'Content-Length and Transfer-Encoding cannot be sent together']
  }
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'BAD_REQUEST', 'Request headers are too large (16 KiB at most)']
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [
        408,
        'REQUEST_TIMEOUT',
        `The request was not received in full within ${Math.round(requestTimeoutMs / 1000)} seconds`,
      ]
    case 'HPE_INVALID_CONTENT_LENGTH':
      return [400, 'BAD_REQUEST', 'Invalid Content-Length header']
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return [400, 'BAD_REQUEST', 'Content-Length and Transfer-Encoding cannot be sent together']
    case 'HPE_INVALID_METHOD':
      return [400, 'BAD_REQUEST', 'Unknown HTTP method']
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE':
      return [400, 'BAD_REQUEST', 'Malformed chunked request body']
    default:
      return [400, 'BAD_REQUEST', 'Malformed HTTP request']
  }
}

/** The raw HTTP answer written to the socket. */
export function clientErrorResponse(
  err: { code?: string | undefined; reason?: string },
  requestTimeoutMs: number,
  correlationId: string = newId(),
): string {
  const [status, errorCode, message] = describe(err, requestTimeoutMs)
  const body = JSON.stringify({
    error_code: errorCode,
    error_messages: [message],
    correlation_id: correlationId,
  })
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    `Klarna-Correlation-Id: ${correlationId}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  )
}

export function clientErrorHandler(requestTimeoutMs: number) {
  return function onClientError(
    this: { log: FastifyBaseLogger },
    err: NodeJS.ErrnoException & { reason?: string },
    socket: Socket,
  ): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return
    this.log.debug({ err }, 'refused by the HTTP parser')
    // Bytes after a complete request that are not a request: Node's HTTP client writes a GET's
    // body unframed (no Content-Length, no chunking), as @crystallize/node-klarna's getOrder does
    // with "{}". The request itself is being answered: let that answer out, then close; the stray
    // bytes get no answer of their own (a proxy in front of Klarna would drop them too).
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage
    if (err.code === 'HPE_INVALID_METHOD' && inFlight != null && !inFlight.writableFinished) {
      // The client must not reuse this connection: tell it so in the answer.
      if (!inFlight.headersSent) inFlight.setHeader('Connection', 'close')
      inFlight.once('finish', () => socket.end())
      inFlight.once('close', () => socket.end())
      return
    }
    if (!socket.writable) {
      socket.destroy()
      return
    }
    // Half-close after the answer and let what the client still sends drain, then close.
    answerRefused(socket, clientErrorResponse(err, requestTimeoutMs))
  }
}
