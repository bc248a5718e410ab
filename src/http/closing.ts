import type { FastifyInstance } from 'fastify'
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { isLingering } from './linger.js'

/**
 * A close that waits for the requests under way and for nothing else. Node's `server.close()`
 * (which Fastify's `forceCloseConnections: 'idle'` calls) closes the keep-alive connections that sit
 * between two requests, but it leaves two kinds open, and each held `app.close()`, `startMock()`'s
 * `close()` and the command-line server's shutdown until the client closed them:
 *
 * - a connection on which no request has begun: one a browser opened ahead of need (Chromium does,
 *   and keeps it about a minute), or one whose request head has not all arrived. Node stops
 *   checking the head's timeout once the server closes, so nothing else would end it;
 * - a keep-alive connection whose request was under way when the close began: once answered it is
 *   idle again, and stays open for Fastify's keep-alive timeout (72 s) if the client keeps it.
 *
 * So, once closing (preClose), the first kind is destroyed, a connection accepted meanwhile is
 * destroyed at once, and the answer to a request under way is the connection's last: the socket
 * ends once it has left (through `destroySoon`, which a lingering socket replaces: src/http/linger.ts).
 * Returns whether the close has begun (the fast lane then leaves every call to Fastify).
 */
export function closeWithoutWaiting(app: FastifyInstance): () => boolean {
  const server = app.server
  const open = new Set<Socket>()
  let closing = false

  // Per connection, not per request: the request path pays nothing for this.
  server.on('connection', (socket: Socket) => {
    if (closing) {
      socket.destroy()
      return
    }
    open.add(socket)
    socket.once('close', () => open.delete(socket))
  })
  app.addHook('preClose', (done) => {
    closing = true
    for (const socket of open) {
      // The response under way on the connection, as Node keeps it (its own closeIdleConnections
      // reads the same property): none between requests and before the first.
      const response = (socket as { _httpMessage?: ServerResponse | null })._httpMessage
      if (response !== undefined && response !== null && !response.writableFinished) {
        response.once('close', () => socket.destroySoon())
      } else if (!isLingering(socket)) {
        // A lingering socket (an early answer or a refused request, then the client's last bytes
        // read and dropped) ends by itself, sooner once the server closes (hurryLingering).
        socket.destroy()
      }
    }
    done()
  })
  return () => closing
}
