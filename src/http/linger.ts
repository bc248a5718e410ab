import type { Socket } from 'node:net'

/** How long, and how much, is read and thrown away after an early answer before the socket closes. */
export const LINGER_MS = 10_000
export const LINGER_IDLE_MS = 2_000
export const LINGER_BYTES = 64 * 1024 * 1024
/** How long the connection of a request Node's parser refused stays open after the answer. */
export const REFUSED_LINGER_MS = 2_000
/** Once its server is closing, how long a lingering socket still waits for the client's next bytes. */
export const LINGER_CLOSING_IDLE_MS = 100

/** Sets how long a lingering socket waits for the client's next bytes. */
type Hurry = (idleMs: number) => void
/** For each server, how to hurry each of its sockets that linger. */
const lingering = new WeakMap<object, Set<Hurry>>()
/** The sockets that end by themselves, lingering: after an early answer, or a refused request. */
const lingers = new WeakSet<Socket>()

/**
 * Does `socket` end by itself, lingering (`lingerOnClose`, `answerRefused`)? A closing server leaves
 * it to (src/http/closing.ts): destroyed at once, it could lose its answer to a reset.
 */
export function isLingering(socket: Socket): boolean {
  return lingers.has(socket)
}

/**
 * Lingering close, as nginx does it. When the server answers before the request body has been
 * read (a 413 for a body over the limit, Fastify's answers to bad bodies), it closes the
 * connection; closing a socket with unread bytes makes the kernel send a reset, and a client that
 * is still sending gets EPIPE or ECONNRESET instead of the answer. So, once the answer is out,
 * the socket half-closes (FIN after the answer) and reads and discards what the client still
 * sends: until it stops (its FIN), LINGER_IDLE_MS pass with nothing, LINGER_MS in all, or
 * LINGER_BYTES, then closes. Once the server is closing (`hurryLingering`), nothing from the client
 * for LINGER_CLOSING_IDLE_MS is enough: a client that keeps its side of the connection open (fetch
 * does) would otherwise hold the server's close for LINGER_IDLE_MS.
 *
 * Node's HTTP server closes such a connection with socket.destroySoon() once the response is
 * finished; this replaces that one call on this one socket.
 */
export function lingerOnClose(socket: Socket): void {
  if (socket.destroyed || lingers.has(socket)) return
  lingers.add(socket)
  socket.destroySoon = function lingeringDestroySoon(this: Socket): void {
    this.end()
    drainThenDestroy(this, LINGER_MS, LINGER_IDLE_MS, LINGER_BYTES)
  }
}

/**
 * The answer to a request Node's parser refused (src/http/client-errors.ts), then a half-close:
 * what the client still sends is read and dropped for REFUSED_LINGER_MS, then the socket closes.
 * Once the server is closing, LINGER_CLOSING_IDLE_MS without a byte is enough, as for
 * `lingerOnClose`: a client that keeps its side open would otherwise hold the close that long.
 */
export function answerRefused(socket: Socket, answer: string): void {
  lingers.add(socket)
  socket.end(answer)
  drainThenDestroy(socket, REFUSED_LINGER_MS, REFUSED_LINGER_MS, Infinity)
}

/**
 * Reads and drops what the client still sends on a socket this side has ended, then destroys it:
 * after `totalMs`, after `idleMs` without a byte (LINGER_CLOSING_IDLE_MS once the server is
 * closing), past `maxBytes`, or at the client's end (once the answer has left).
 */
function drainThenDestroy(socket: Socket, totalMs: number, idleMs: number, maxBytes: number): void {
  let seen = 0
  const done = () => {
    clearTimeout(total)
    clearTimeout(idle)
    socket.destroy()
  }
  const total = setTimeout(done, totalMs)
  let idle = setTimeout(done, idleMs)
  whenClosing(socket, (closingIdleMs) => {
    clearTimeout(idle)
    idle = setTimeout(done, closingIdleMs)
  })
  socket.on('data', (chunk: Buffer) => {
    seen += chunk.length
    idle.refresh()
    if (seen > maxBytes) done()
  })
  socket.once('end', () => (socket.writableFinished ? done() : socket.once('finish', done)))
  socket.once('close', () => {
    clearTimeout(total)
    clearTimeout(idle)
  })
  socket.resume()
}

/** Calls `hurry` if the server that accepted `socket` starts closing while the socket is open. */
function whenClosing(socket: Socket, hurry: Hurry): void {
  // The server that accepted the socket (net.Server sets it).
  const server = (socket as { server?: object }).server ?? socket
  let ofServer = lingering.get(server)
  if (ofServer === undefined) lingering.set(server, (ofServer = new Set()))
  const open = ofServer
  open.add(hurry)
  socket.once('close', () => open.delete(hurry))
}

/**
 * `server` is closing: its lingering sockets, and those of refused requests, wait only
 * LINGER_CLOSING_IDLE_MS more for the client's next bytes (each byte that comes restarts the wait).
 */
export function hurryLingering(server: object): void {
  for (const hurry of lingering.get(server) ?? []) hurry(LINGER_CLOSING_IDLE_MS)
}
