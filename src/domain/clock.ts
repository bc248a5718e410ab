import { errors } from './errors.js'

/** The last instant an ISO 8601 date with a four-digit year can show: 9999-12-31T23:59:59.999Z. */
export const MAX_DATE_MS = 253402300799999

/**
 * The server's one clock. Virtual time = real time + an offset that only moves forward
 * (POST /_mock/clock). Every expiry in the server reads this clock; nothing else reads Date.now().
 *
 * The clock stays where every date the mock writes is a valid four-digit-year date: virtual time
 * plus the longest lifetime it computes (`headroomMs`) never passes MAX_DATE_MS. An advance that
 * would leave that range is refused with 400 BAD_VALUE.
 */
export class Clock {
  #offsetMs = 0
  readonly #source: () => number
  readonly #headroomMs: number
  #listener: (() => void) | undefined

  constructor(source: () => number = () => Date.now(), headroomMs = 0) {
    this.#source = source
    this.#headroomMs = headroomMs
  }

  /** Who hears of each move (the state file). */
  listen(listener: (() => void) | undefined): void {
    this.#listener = listener
  }

  nowMs(): number {
    return this.#source() + this.#offsetMs
  }

  /** Real time, for what is about the wall clock rather than the virtual one (rate limits). */
  realMs(): number {
    return this.#source()
  }

  now(): Date {
    return new Date(this.nowMs())
  }

  iso(): string {
    return this.now().toISOString()
  }

  /** The latest virtual time the clock may show. */
  get latestMs(): number {
    return MAX_DATE_MS - this.#headroomMs
  }

  /** Moves virtual time forward; returns the new time. */
  advance(seconds: number): Date {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw errors.badValue({ fields: 'advance_seconds (a number of seconds, 0 or more)' })
    }
    const offset = this.#offsetMs + Math.round(seconds * 1000)
    if (this.#source() + offset > this.latestMs) {
      throw errors.badValue({
        fields: `advance_seconds (the virtual clock cannot pass ${new Date(this.latestMs).toISOString()}: later dates, with the lifetimes added, would not fit Klarna's date format)`,
      })
    }
    this.#offsetMs = offset
    this.#listener?.()
    return this.now()
  }

  /** Is this offset one the clock could have reached (for a state file)? */
  validOffset(offsetMs: number): boolean {
    return Number.isSafeInteger(offsetMs) && offsetMs >= 0 && this.#source() + offsetMs <= this.latestMs
  }

  get offsetMs(): number {
    return this.#offsetMs
  }

  set offsetMs(value: number) {
    if (!this.validOffset(value)) throw new RangeError(`clock offset ${value} is out of range`)
    this.#offsetMs = value
  }

  reset(): void {
    this.#offsetMs = 0
    this.#listener?.()
  }
}
