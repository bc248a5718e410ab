import t from 'tap'
import { join } from 'node:path'
import { createError, errors, fillTemplate, KlarnaError } from '../../dist/domain/errors.js'
import { loadScenarios } from '../../dist/domain/scenario-files.js'

/**
 * The error catalogue (src/domain/errors.ts) is where every Klarna error is declared once. The
 * shipped scenario files repeat some of them as YAML: each must say exactly what the catalogue says
 * for the same status and error_code, so a message corrected in one place cannot drift in the other.
 */

type Entry = { name: string; status: number; code: string; template: string | undefined }
const declared: Entry[] = Object.entries(errors)
  .filter(([, value]) => 'code' in value)
  .map(([name, value]) => {
    const d = value as unknown as Entry
    return { name, status: d.status, code: d.code, template: d.template }
  })

/**
 * A template's messages: its placeholders stand for any text (a scenario may also keep the
 * placeholder itself, filled from the request when it plays). A template that is nothing but a
 * placeholder ('{message}') says nothing to compare with and is left out.
 */
function matcher(template: string | undefined): RegExp | undefined {
  if (template === undefined) return /^$/
  if (/^\{[a-z_]+\}$/.test(template)) return undefined
  const parts = template.split(/\{[a-z_]+\}/).map((p) => p.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'))
  return new RegExp(`^${parts.join('.+')}$`)
}

t.test(
  'every error step of a shipped scenario matches a catalogue entry (status, code, message)',
  async (t) => {
    const scenarios = loadScenarios([join(import.meta.dirname, '..', '..', 'scenarios')])
    let checked = 0
    for (const scenario of scenarios.values()) {
      for (const step of scenario.steps) {
        if (!('error' in step) || step.error === undefined) continue
        const { status, error_code: code, error_messages: messages } = step.error
        const same = declared.filter((e) => e.status === status && e.code === code)
        t.ok(same.length > 0, `${scenario.name}: ${status} ${code} is declared in the catalogue`)
        const message = messages.join('\n')
        const fits = same.filter((e) => matcher(e.template)?.test(message) === true && messages.length <= 1)
        t.ok(
          fits.length > 0,
          `${scenario.name}: ${JSON.stringify(messages)} is what the catalogue says for ${status} ${code} (${same
            .map((e) => `${e.name}: ${JSON.stringify(e.template ?? null)}`)
            .join(', ')})`,
        )
        checked++
      }
    }
    t.ok(checked >= 30, `checked ${checked} error steps`)
  },
)

t.test('no two entries declare the same error twice', async (t) => {
  const seen = new Map<string, string>()
  for (const e of declared) {
    const key = `${e.status} ${e.code} ${e.template ?? ''}`
    t.notOk(seen.has(key), `${e.name} repeats ${seen.get(key) ?? ''}`)
    seen.set(key, e.name)
  }
})

t.test('an entry builds a KlarnaError with its status, code, filled message and headers', async (t) => {
  const e = errors.noSuchCapture({ capture_id: 'c1', order_id: 'o1' })
  t.ok(e instanceof KlarnaError)
  t.equal(e.statusCode, 404)
  t.equal(e.errorCode, 'NO_SUCH_CAPTURE')
  t.same(e.errorMessages, ['Capture c1 cannot be found for order o1'])

  t.same(errors.badValue({ fields: ['a', 'b[0].c', 'a'] }).errorMessages, ['Bad value: a, b[0].c'])
  t.same(errors.merchantInactive().errorMessages, [])
  t.same(errors.unauthorized().headers, { 'WWW-Authenticate': 'Basic realm="Klarna API"' })
  const limited = errors.tooManyRequests({ headers: { 'Retry-After': '1' } })
  t.same(limited.headers, { 'Retry-After': '1' })
  const stepUp = errors.stepUpRequired({ extra: { step_up_id: 's' } })
  t.same(stepUp.extra, { step_up_id: 's' })

  const custom = createError(418, 'TEAPOT', 'I am {what}')
  t.same(custom({ what: 'a teapot' }).errorMessages, ['I am a teapot'])
  t.equal(
    fillTemplate('{known} {unknown}', { known: 1 }),
    '1 {unknown}',
    'an unknown name is left as written',
  )
})
