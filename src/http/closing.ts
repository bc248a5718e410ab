import type { FastifyInstance } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

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
 */
export function closeWithoutWaiting(app: FastifyInstance): void {
  const server = app.server
  /** Open connections, each with how many of its requests are under way. */
  const open = new Map<Socket, number>()
  let closing = false

  server.on('connection', (socket: Socket) => {
    if (closing) {
      socket.destroy()
      return
    }
    open.set(socket, 0)
    socket.once('close', () => open.delete(socket))
  })
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket
    open.set(socket, (open.get(socket) ?? 0) + 1)
    response.once('close', () => {
      const before = open.get(socket)
      if (before === undefined) return // the connection has closed
      const underWay = before - 1
      open.set(socket, underWay)
      if (closing && underWay === 0) socket.destroySoon()
    })
  })
  app.addHook('preClose', (done) => {
    closing = true
    for (const [socket, underWay] of open) {
      // A lingering socket (an early answer, then the client's last bytes read and dropped) ends by
      // itself, sooner once the server closes (hurryLingering).
      if (underWay === 0 && (socket as { lingering?: boolean }).lingering !== true) socket.destroy()
    }
    done()
  })
}
