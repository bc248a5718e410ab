import type { Outcome } from './store.js'

/**
 * Klarna's playground test e-mails ("Sample customer data" on docs.klarna.com), which decide what
 * the browser widget's authorize() does:
 *  - `customer+denied@…`              declined: approved false, no token
 *  - `…+pend-accept-NN@…`             approved; orders come back fraud_status PENDING, accepted after NN minutes
 *  - `…+pend-reject-NN@…`             approved; orders PENDING, rejected after NN minutes
 *  - `…+reject_reason_<REASON>@…`     declined with that reason
 *  - `…+auth_<method>@…`              approved after the playground's authentication flow
 *                                     (auth_otp_email, auth_bank_login, …); a customer token made
 *                                     from it needs the customer present (step-up) to be charged
 * Anything else is approved with fraud_status ACCEPTED.
 */
export function outcomeForEmail(email: string | undefined): Outcome {
  const local = (email ?? '').split('@')[0]?.toLowerCase() ?? ''
  const tags = local.split('+').slice(1)
  for (const tag of tags) {
    if (tag === 'denied' || tag.startsWith('denied')) return { kind: 'rejected', reason: 'denied' }
    const reject = /^reject_reason_([a-z_]+)$/.exec(tag)
    if (reject?.[1] !== undefined) return { kind: 'rejected', reason: reject[1] }
    if (/^auth_[a-z_]+$/.test(tag)) return { kind: 'approved', fraudStatus: 'ACCEPTED', stepUp: tag }
    const pend = /^pend-(accept|reject)-(\d{2})$/.exec(tag)
    if (pend !== null) {
      return {
        kind: 'approved',
        fraudStatus: 'PENDING',
        resolvesTo: pend[1] === 'accept' ? 'ACCEPTED' : 'REJECTED',
        pendingMinutes: Number(pend[2]),
      }
    }
  }
  return approved
}

/** The common outcome, one shared frozen object (an authorization's outcome is never changed in place). */
const approved: Outcome = Object.freeze({ kind: 'approved', fraudStatus: 'ACCEPTED' })
