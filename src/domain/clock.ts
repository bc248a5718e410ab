/**
 * The server's one clock. Virtual time = real time + an offset that only moves forward
 * (POST /_mock/clock). Every expiry in the server reads this clock; nothing else reads Date.now().
 */
export class Clock {
  #offsetMs = 0
  readonly #source: () => number

  constructor (source: () => number = () => Date.now()) {
    this.#source = source
  }

  nowMs (): number {
    return this.#source() + this.#offsetMs
  }

  now (): Date {
    return new Date(this.nowMs())
  }

  iso (): string {
    return this.now().toISOString()
  }

  /** Moves virtual time forward; returns the new time. */
  advance (seconds: number): Date {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('advance_seconds must be a non-negative number')
    this.#offsetMs += Math.round(seconds * 1000)
    return this.now()
  }

  get offsetMs (): number {
    return this.#offsetMs
  }

  set offsetMs (value: number) {
    this.#offsetMs = value
  }

  reset (): void {
    this.#offsetMs = 0
  }
}
