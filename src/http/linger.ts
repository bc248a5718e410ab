import type { Socket } from 'node:net'

/** How long, and how much, is read and thrown away after an early answer before the socket closes. */
export const LINGER_MS = 10_000
export const LINGER_IDLE_MS = 2_000
export const LINGER_BYTES = 64 * 1024 * 1024

/**
 * Lingering close, as nginx does it. When the server answers before the request body has been
 * read (a 413 for a body over the limit, Fastify's answers to bad bodies), it closes the
 * connection; closing a socket with unread bytes makes the kernel send a reset, and a client that
 * is still sending gets EPIPE or ECONNRESET instead of the answer. So, once the answer is out,
 * the socket half-closes (FIN after the answer) and reads and discards what the client still
 * sends: until it stops (its FIN), LINGER_IDLE_MS pass with nothing, LINGER_MS in all, or
 * LINGER_BYTES, then closes.
 *
 * Node's HTTP server closes such a connection with socket.destroySoon() once the response is
 * finished; this replaces that one call on this one socket.
 */
export function lingerOnClose(socket: Socket): void {
  if (socket.destroyed || (socket as { lingering?: boolean }).lingering === true) return
  ;(socket as { lingering?: boolean }).lingering = true
  socket.destroySoon = function lingeringDestroySoon(this: Socket): void {
    let seen = 0
    const done = () => {
      clearTimeout(total)
      clearTimeout(idle)
      this.destroy()
    }
    const total = setTimeout(done, LINGER_MS)
    const idle = setTimeout(done, LINGER_IDLE_MS)
    this.on('data', (chunk: Buffer) => {
      seen += chunk.length
      idle.refresh()
      if (seen > LINGER_BYTES) done()
    })
    this.once('end', done)
    this.once('close', () => {
      clearTimeout(total)
      clearTimeout(idle)
    })
    this.end()
    this.resume()
  }
}
