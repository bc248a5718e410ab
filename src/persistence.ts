import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, existsSync, unlinkSync } from 'node:fs'
import { dirname, basename, join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Domain } from './domain/context.js'
import type { MerchantState } from './domain/store.js'

/**
 * --state-file: the state (every merchant's sessions, authorizations, tokens, orders and
 * idempotency keys, the redirect links, the clock offset) written atomically (a temporary file,
 * fsync, rename: a crash mid-write leaves the old file whole) after each change and on close,
 * and loaded at start. A damaged file stops start-up and is never overwritten.
 */

export class StateFileError extends Error {
  override name = 'StateFileError'
}

interface Snapshot {
  format: 'klarna-mock-state'
  version: 1
  saved_at: string
  clock_offset_ms: number
  merchants: Record<string, Record<keyof MerchantState, Array<[string, unknown]>>>
  redirects: Array<[string, unknown]>
}

const collections = ['sessions', 'authorizations', 'tokens', 'orders', 'idempotency'] as const

export function snapshot (domain: Domain): Snapshot {
  const merchants: Snapshot['merchants'] = {}
  for (const [id, state] of domain.store.merchants()) {
    merchants[id] = Object.fromEntries(collections.map(c => [c, [...state[c].entries()]])) as Snapshot['merchants'][string]
  }
  return {
    format: 'klarna-mock-state',
    version: 1,
    saved_at: domain.clock.iso(),
    clock_offset_ms: domain.clock.offsetMs,
    merchants,
    redirects: [...domain.store.redirects.entries()]
  }
}

function isPairs (v: unknown): v is Array<[string, unknown]> {
  return Array.isArray(v) && v.every(p => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && p[1] !== null && typeof p[1] === 'object')
}

export function restore (domain: Domain, doc: unknown, file: string): void {
  const bad = (what: string) => new StateFileError(`${file}: damaged state file (${what}); fix or remove it. It was not changed.`)
  if (doc === null || typeof doc !== 'object') throw bad('not a JSON object')
  const s = doc as Partial<Snapshot>
  if (s.format !== 'klarna-mock-state' || s.version !== 1) throw bad('not a klarna-mock state file, version 1')
  if (typeof s.clock_offset_ms !== 'number' || !Number.isFinite(s.clock_offset_ms)) throw bad('clock_offset_ms')
  if (s.merchants === null || typeof s.merchants !== 'object') throw bad('merchants')
  if (!isPairs(s.redirects)) throw bad('redirects')
  for (const [id, m] of Object.entries(s.merchants)) {
    for (const c of collections) if (!isPairs((m as Record<string, unknown>)[c])) throw bad(`merchants.${id}.${c}`)
  }
  domain.store.reset()
  for (const [id, m] of Object.entries(s.merchants)) {
    const state = domain.store.merchant(id)
    for (const c of collections) {
      for (const [key, value] of m[c]) (state[c] as Map<string, unknown>).set(key, value)
    }
  }
  for (const [key, value] of s.redirects) domain.store.redirects.set(key, value as never)
  domain.clock.offsetMs = s.clock_offset_ms
}

export function loadState (domain: Domain, file: string): boolean {
  if (!existsSync(file)) return false
  let doc: unknown
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new StateFileError(`${file}: damaged state file (${(err as Error).message}); fix or remove it. It was not changed.`)
  }
  restore(domain, doc, file)
  return true
}

export function saveState (domain: Domain, file: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`)
  const fd = openSync(tmp, 'w', 0o600)
  try {
    writeSync(fd, JSON.stringify(snapshot(domain)))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  try {
    renameSync(tmp, file)
  } catch (err) {
    try { unlinkSync(tmp) } catch {}
    throw err
  }
}

/** Loads the file now; saves shortly after every change and when the app closes. */
export function persistState (app: FastifyInstance, file: string): void {
  const domain = app.domain
  const restored = loadState(domain, file)
  app.log.info({ file, restored }, restored ? 'state loaded' : 'state file will be created')
  let timer: NodeJS.Timeout | undefined
  let dirty = false
  const flush = () => {
    timer = undefined
    if (!dirty) return
    dirty = false
    try {
      saveState(domain, file)
    } catch (err) {
      app.log.error({ err, file }, 'could not save the state file')
    }
  }
  app.addHook('onResponse', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD') return
    dirty = true
    timer ??= setTimeout(flush, 100)
  })
  app.addHook('onClose', async () => {
    if (timer !== undefined) clearTimeout(timer)
    dirty = true
    flush()
  })
}
