import {
  closeSync,
  fdatasync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { open as openFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { Type, TypeCompiler } from './typebox.js'
import type { TSchema } from '@sinclair/typebox'
import type { TypeCheck } from '@sinclair/typebox/compiler'
import type { FastifyInstance } from 'fastify'
import type { Domain } from './domain/context.js'
import { errors } from './domain/errors.js'
import { PackedCollection } from './domain/packed.js'
import type { Table } from './domain/store.js'
import { collectionNames, collectionSchemas, type CollectionName } from './schemas/state.js'

/**
 * --state-file FILE: the state (every merchant's sessions, authorizations, tokens, orders,
 * idempotency keys and other records, and its clock) kept across restarts and crashes.
 *
 * Two kinds of file, both JSON lines:
 *  - FILE, the snapshot: a header line, then one line per record. Written whole at start and,
 *    later, in the background (a few hundred records per event-loop turn, so requests keep being
 *    answered), to a temporary file that is fsynced and renamed over FILE.
 *  - FILE.log.N, the change log: one line per changed record ({m, c, k, v} set, {m, c, k, d}
 *    deleted, {m, c: "clock", v} a merchant's clock offset, {m?, c: "reset"} one merchant or
 *    everyone forgotten), appended before the change is acknowledged.
 * The snapshot's header names the first log segment that follows it; loading replays that
 * segment and every later one. When the log has grown past the snapshot, a new segment is
 * started and a new snapshot written; then the old segments are deleted.
 *
 * Durability (--durability): 'write' (default) writes each change to the log before the answer
 * leaves, so nothing acknowledged is lost when the process dies (SIGKILL, a crash, OOM), and
 * fsyncs the log within SYNC_INTERVAL_MS, so a machine crash loses at most that. 'fsync' also
 * fsyncs before answering (one fsync shared by the requests waiting at that moment): nothing
 * acknowledged is lost even on power loss.
 *
 * Loading checks every line against the record schemas (src/schemas/state.ts): a damaged file
 * stops start-up, naming the file, the line and the field, and is never changed. A torn last line
 * of the newest log segment (the write a crash interrupted, never acknowledged) is ignored.
 */

export type Durability = 'write' | 'fsync'

declare module 'fastify' {
  interface FastifyInstance {
    /** The state file's writer, when --state-file is given. */
    stateWriter?: StateWriter
  }
}

export class StateFileError extends Error {
  override name = 'StateFileError'
}

export const FORMAT = 'klarna-mock-state'
export const VERSION = 2
/** How soon a change written in 'write' mode is fsynced. */
export const SYNC_INTERVAL_MS = 100
/** Records serialized per event-loop turn while a snapshot is written in the background. */
const SNAPSHOT_BATCH = 500
/** The log is compacted once it is larger than the snapshot and at least this large. */
const MIN_COMPACT_BYTES = 4 * 1024 * 1024

type Kind = CollectionName
const kinds: readonly Kind[] = collectionNames
/** Record kinds of earlier files, read and dropped (redirect links are signed now, not stored). */
const retiredKinds = ['redirects'] as const

const Header = Type.Object({
  format: Type.Literal(FORMAT),
  version: Type.Literal(VERSION),
  saved_at: Type.String(),
  clock_offset_ms: Type.Integer({ minimum: 0 }),
  log_generation: Type.Integer({ minimum: 1 }),
})
const RecordLine = Type.Union([
  Type.Object({
    m: Type.String(),
    c: Type.Union(kinds.map((k) => Type.Literal(k))),
    k: Type.String({ minLength: 1, maxLength: 1024 }),
    v: Type.Unknown(),
  }),
  Type.Object({
    m: Type.String(),
    c: Type.Union(kinds.map((k) => Type.Literal(k))),
    k: Type.String({ minLength: 1, maxLength: 1024 }),
    d: Type.Literal(true),
  }),
  Type.Object(
    { m: Type.String(), c: Type.Union(retiredKinds.map((k) => Type.Literal(k))), k: Type.String() },
    { additionalProperties: true },
  ),
  /** A merchant's clock offset (without `m`: every merchant's, in files of before per-merchant clocks). */
  Type.Object({
    m: Type.Optional(Type.String({ minLength: 1 })),
    c: Type.Literal('clock'),
    v: Type.Integer({ minimum: 0 }),
  }),
  /** Everything forgotten, or one merchant's everything. */
  Type.Object({ m: Type.Optional(Type.String({ minLength: 1 })), c: Type.Literal('reset') }),
])
/** The collections version 1 had. */
const v1Collections = ['sessions', 'authorizations', 'tokens', 'orders', 'idempotency'] as const
/** The first version: one JSON document (klarna-mock 0.1). Read, then rewritten as version 2. */
const V1 = Type.Object({
  format: Type.Literal(FORMAT),
  version: Type.Literal(1),
  clock_offset_ms: Type.Integer({ minimum: 0 }),
  merchants: Type.Record(
    Type.String(),
    Type.Object(
      Object.fromEntries(
        v1Collections.map((c) => [c, Type.Array(Type.Tuple([Type.String(), Type.Unknown()]))]),
      ),
    ),
  ),
  redirects: Type.Array(Type.Tuple([Type.String(), Type.Unknown()])),
})

interface Checks {
  header: TypeCheck<typeof Header>
  line: TypeCheck<typeof RecordLine>
  v1: TypeCheck<typeof V1>
  values: Record<Kind, TypeCheck<TSchema>>
}
let compiled: Checks | undefined
/** Compiled once, on the first load (a server without a state file never pays for it). */
function checks(): Checks {
  compiled ??= {
    header: TypeCompiler.Compile(Header),
    line: TypeCompiler.Compile(RecordLine),
    v1: TypeCompiler.Compile(V1),
    values: Object.fromEntries(
      kinds.map((k) => [k, TypeCompiler.Compile<TSchema>(collectionSchemas[k])]),
    ) as unknown as Record<Kind, TypeCheck<TSchema>>,
  }
  return compiled
}

function firstError(check: TypeCheck<TSchema>, value: unknown): string {
  const e = check.Errors(value).First()
  if (e === undefined) return 'invalid'
  return `${e.path === '' ? '(root)' : e.path.slice(1).replace(/\//g, '.')}: ${e.message}`
}

const segmentName = (file: string, generation: number) => `${file}.log.${generation}`

/** Log segments of FILE that exist, oldest first. */
function segments(file: string): Array<{ generation: number; path: string }> {
  const dir = dirname(file)
  const prefix = `${basename(file)}.log.`
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  return names
    .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
    .map((n) => ({ generation: Number(n.slice(prefix.length)), path: join(dir, n) }))
    .sort((a, b) => a.generation - b.generation)
}

function collection(domain: Domain, merchant: string, kind: Kind): Table<unknown> {
  return domain.store.merchant(merchant)[kind] as Table<unknown>
}

/** Values read from the file while it is read: one frozen object per distinct value and field (at most 4,096). */
const loadedValues = new WeakMap<Domain, Map<string, unknown>>()

/**
 * A record read from the file, its shared fields (packed.ts: addresses, carts, category lists)
 * made one frozen object per distinct value, as the running mock shares them: a packed collection
 * keeps a shared value once, and any other object per record. Records are never changed in place
 * (shared-values.ts), so freezing what was just parsed changes nothing else.
 */
function sharedWhenEqual(domain: Domain, table: Table<unknown>, record: unknown): unknown {
  if (!(table instanceof PackedCollection) || record === null || typeof record !== 'object') return record
  let values = loadedValues.get(domain)
  if (values === undefined) loadedValues.set(domain, (values = new Map()))
  const shared: Record<string, unknown> = { ...record }
  for (const [field, value] of Object.entries(shared)) {
    if (value === null || typeof value !== 'object' || !table.sharesField(field)) continue
    const key = `${field}\u0000${JSON.stringify(value)}`
    const known = values.get(key)
    if (known !== undefined) shared[field] = known
    else if (values.size < 4096) values.set(key, deepFreeze(value))
  }
  return shared
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}

/** Applies one checked line to the state (no listener is attached while loading). */
function apply(domain: Domain, line: Record<string, unknown>): void {
  // No listeners are attached while loading: nothing here is written back.
  const c = line.c as Kind | 'clock' | 'reset' | (typeof retiredKinds)[number]
  const merchant = line.m as string | undefined
  if (c === 'reset') {
    domain.store.reset(merchant)
    if (merchant === undefined) domain.clock.reset()
    return
  }
  if (c === 'clock') {
    // Without a merchant: a file of before per-merchant clocks; its one offset is everyone's (below).
    if (merchant === undefined) domain.clock.offsetMs = line.v as number
    else domain.store.merchant(merchant).clock.offsetMs = line.v as number
    return
  }
  if ((retiredKinds as readonly string[]).includes(c)) return
  if (line.d === true) {
    domain.store.find(merchant as string)?.[c as Kind].delete(line.k as string)
    return
  }
  const table = collection(domain, merchant as string, c as Kind)
  table.set(line.k as string, sharedWhenEqual(domain, table, line.v))
}

function checkLine(domain: Domain, where: string, doc: unknown): Record<string, unknown> {
  const { line, values } = checks()
  if (!line.Check(doc)) throw new StateFileError(`${where}: ${firstError(line, doc)}`)
  const rec = doc as Record<string, unknown>
  const c = rec.c as string
  if (c === 'clock' && !domain.clock.validOffset(rec.v as number)) {
    throw new StateFileError(
      `${where}: clock offset ${String(rec.v)} ms is out of range (the virtual clock cannot pass ${new Date(domain.clock.latestMs).toISOString()})`,
    )
  }
  if (c !== 'clock' && c !== 'reset' && !(retiredKinds as readonly string[]).includes(c)) {
    if (rec.m === '') throw new StateFileError(`${where}: a record without a merchant`)
    const check = values[c as Kind]
    if (rec.d !== true && !check.Check(rec.v)) {
      throw new StateFileError(`${where}: ${c} "${String(rec.k).slice(0, 60)}": ${firstError(check, rec.v)}`)
    }
  }
  return rec
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new StateFileError(`${where}: not JSON (${(err as Error).message})`)
  }
}

function loadV1(domain: Domain, file: string, doc: unknown): void {
  const { v1 } = checks()
  if (!v1.Check(doc)) throw new StateFileError(`${file}: ${firstError(v1, doc)}`)
  if (!domain.clock.validOffset(doc.clock_offset_ms)) {
    throw new StateFileError(`${file}: clock_offset_ms ${doc.clock_offset_ms} is out of range`)
  }
  domain.clock.offsetMs = doc.clock_offset_ms
  for (const [merchant, state] of Object.entries(doc.merchants)) {
    for (const c of v1Collections) {
      for (const [k, v] of (state as Record<CollectionName, Array<[string, unknown]>>)[c]) {
        apply(domain, checkLine(domain, `${file}: merchants.${merchant}.${c}`, { m: merchant, c, k, v }))
      }
    }
  }
}

/**
 * Files of before per-merchant clocks kept one offset for everyone (loaded onto the base clock):
 * every merchant of the file gets it, and the base clock goes back to real time.
 */
function spreadLegacyClock(domain: Domain): void {
  const offset = domain.clock.offsetMs
  if (offset === 0) return
  for (const [, state] of domain.store.merchants()) {
    if (state.clock.offsetMs === 0) state.clock.offsetMs = offset
  }
  domain.clock.offsetMs = 0
}

/** Loads FILE and its log into the domain. Returns false when there is no file yet. */
export function loadState(domain: Domain, file: string): { loaded: boolean; generation: number } {
  let text: string
  try {
    if (!statSync(file).isFile()) throw new StateFileError(`${file}: not a regular file`)
    text = readFileSync(file, 'utf8')
  } catch (err) {
    // No file yet (or no folder: writing the first snapshot will say so).
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return { loaded: false, generation: 0 }
    if (err instanceof StateFileError) throw err
    throw new StateFileError(`${file}: cannot read the state file: ${(err as Error).message}`)
  }
  domain.store.reset()
  domain.clock.reset()
  try {
    const firstNewline = text.indexOf('\n')
    const head = parseJson(firstNewline < 0 ? text : text.slice(0, firstNewline), `${file}: line 1`) as {
      version?: unknown
    }
    if (head !== null && typeof head === 'object' && head.version === 1) {
      loadV1(domain, file, head)
      spreadLegacyClock(domain)
      return { loaded: true, generation: 0 }
    }
    const { header } = checks()
    if (!header.Check(head)) {
      const version = head !== null && typeof head === 'object' ? head.version : undefined
      throw new StateFileError(
        typeof version === 'number' && version !== VERSION
          ? `${file}: line 1: state file version ${version}; this klarna-mock reads versions 1 and ${VERSION}`
          : `${file}: line 1: not a klarna-mock state file header (${firstError(header, head)})`,
      )
    }
    if (!domain.clock.validOffset(head.clock_offset_ms)) {
      throw new StateFileError(`${file}: line 1: clock_offset_ms ${head.clock_offset_ms} is out of range`)
    }
    domain.clock.offsetMs = head.clock_offset_ms
    const lines = text.split('\n')
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string
      if (line === '') continue
      const where = `${file}: line ${i + 1}`
      apply(domain, checkLine(domain, where, parseJson(line, where)))
    }
    const later = segments(file).filter((s) => s.generation >= head.log_generation)
    for (const [n, segment] of later.entries()) {
      const log = readFileSync(segment.path, 'utf8')
      const logLines = log.split('\n')
      for (let i = 0; i < logLines.length; i++) {
        const line = logLines[i] as string
        if (line === '') continue
        const where = `${segment.path}: line ${i + 1}`
        // The newest segment's unfinished last line: a write the crash cut, never acknowledged.
        const torn = n === later.length - 1 && i === logLines.length - 1
        let doc: unknown
        try {
          doc = JSON.parse(line)
        } catch (err) {
          if (torn) break
          throw new StateFileError(`${where}: not JSON (${(err as Error).message})`)
        }
        apply(domain, checkLine(domain, where, doc))
      }
    }
    spreadLegacyClock(domain)
    return { loaded: true, generation: later.at(-1)?.generation ?? head.log_generation }
  } catch (err) {
    domain.store.reset()
    domain.clock.reset()
    if (err instanceof StateFileError) {
      throw new StateFileError(`damaged state file: ${err.message}. Fix or remove it; it was not changed.`)
    }
    throw err
  } finally {
    // The records keep the shared values; the table that found them is not needed after the load.
    loadedValues.delete(domain)
  }
}

/** Every record of the state, as snapshot lines, in batches. */
function* snapshotLines(domain: Domain): Generator<string> {
  for (const [merchant, state] of domain.store.merchants()) {
    if (state.clock.offsetMs !== 0) yield JSON.stringify({ m: merchant, c: 'clock', v: state.clock.offsetMs })
    for (const c of collectionNames) {
      for (const [k, v] of state[c]) yield JSON.stringify({ m: merchant, c, k, v })
    }
  }
}

function headerLine(domain: Domain, generation: number): string {
  // clock_offset_ms: each merchant's clock is a line of its own now; 0 here (read in older files).
  return JSON.stringify({
    format: FORMAT,
    version: VERSION,
    saved_at: domain.clock.iso(),
    clock_offset_ms: 0,
    log_generation: generation,
  })
}

const tmpName = (file: string) => join(dirname(file), `.${basename(file)}.${process.pid}.tmp`)

/** Leftovers of interrupted saves: temporary snapshots of this file (any process's). */
export function removeLeftovers(file: string): string[] {
  const prefix = `.${basename(file)}.`
  const removed: string[] = []
  let names: string[] = []
  try {
    names = readdirSync(dirname(file))
  } catch {}
  for (const name of names) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) {
      try {
        unlinkSync(join(dirname(file), name))
        removed.push(name)
      } catch {}
    }
  }
  return removed
}

/** Writes the whole snapshot synchronously (start-up): temporary file, fsync, rename. Returns its size. */
export function writeSnapshotSync(domain: Domain, file: string, generation: number): number {
  const tmp = tmpName(file)
  const fd = openSync(tmp, 'w', 0o600)
  let bytes = 0
  try {
    let batch = [headerLine(domain, generation)]
    const write = () => {
      bytes += writeSync(fd, batch.join('\n') + '\n')
      batch = []
    }
    for (const line of snapshotLines(domain)) {
      batch.push(line)
      if (batch.length >= SNAPSHOT_BATCH) write()
    }
    write()
    fsyncSync(fd)
  } catch (err) {
    closeSync(fd)
    try {
      unlinkSync(tmp)
    } catch {}
    throw err
  }
  closeSync(fd)
  renameSync(tmp, file)
  return bytes
}

const fdatasyncAsync = promisify(fdatasync)

/**
 * Writes changes to the log as they happen and keeps the snapshot from falling behind.
 * Framework-free: persistState() below wires it to the app.
 */
export class StateWriter {
  readonly file: string
  readonly durability: Durability
  readonly #domain: Domain
  readonly #onError: (err: Error) => void
  #generation: number
  #fd: number
  #logBytes = 0
  #snapshotBytes: number
  /** Changed records not written yet, by merchant\0collection\0key. */
  readonly #dirty = new Map<string, [string, Kind, string]>()
  #pendingLines: string[] = []
  #written = 0
  #synced = 0
  #syncing: Promise<void> | undefined
  #compacting: Promise<void> | undefined
  #timer: NodeJS.Timeout | undefined
  #closed = false
  /** Set when a write failed: the state on disk is behind the one answered. */
  failure: Error | undefined

  constructor(domain: Domain, file: string, durability: Durability, onError: (err: Error) => void) {
    this.#domain = domain
    this.file = file
    this.durability = durability
    this.#onError = onError
    const { generation } = loadState(domain, file)
    removeLeftovers(file)
    // A fresh snapshot at start: proves the folder is writable, and starts a new log segment.
    this.#generation = generation + 1
    try {
      this.#snapshotBytes = writeSnapshotSync(domain, file, this.#generation)
      this.#fd = openSync(segmentName(file, this.#generation), 'a', 0o600)
    } catch (err) {
      throw new StateFileError(`${file}: cannot write the state file: ${(err as Error).message}`)
    }
    this.#removeSegmentsBefore(this.#generation)
    domain.store.listen({
      changed: (merchant, kind, key) => {
        this.#dirty.set(`${merchant}\u0000${kind}\u0000${key}`, [merchant, kind, key])
      },
      clockMoved: (merchant, offsetMs) => {
        this.#pendingLines.push(JSON.stringify({ m: merchant, c: 'clock', v: offsetMs }))
      },
      cleared: (merchant) => {
        this.#pendingLines.push(
          JSON.stringify(merchant === undefined ? { c: 'reset' } : { m: merchant, c: 'reset' }),
        )
      },
    })
    this.#timer = setInterval(() => {
      this.#background()
    }, SYNC_INTERVAL_MS)
    this.#timer.unref()
  }

  get generation(): number {
    return this.#generation
  }

  /** Writes every change not written yet to the log (synchronously). True if anything was written. */
  flush(): boolean {
    if (this.#dirty.size === 0 && this.#pendingLines.length === 0) return false
    if (this.#closed) return false
    const lines = this.#pendingLines
    this.#pendingLines = []
    for (const [merchant, kind, key] of this.#dirty.values()) {
      const map = this.#domain.store.find(merchant)?.[kind]
      const value = map?.get(key)
      lines.push(
        JSON.stringify(
          value === undefined
            ? { m: merchant, c: kind, k: key, d: true }
            : { m: merchant, c: kind, k: key, v: value },
        ),
      )
    }
    this.#dirty.clear()
    const text = lines.join('\n') + '\n'
    try {
      this.#logBytes += writeSync(this.#fd, text)
    } catch (err) {
      this.failure = err as Error
      this.#onError(err as Error)
      throw errors.stateFileUnwritable({ reason: (err as Error).message })
    }
    this.#written++
    return true
  }

  /** Resolves once everything written so far is on disk (one fsync for all who wait). */
  async sync(): Promise<void> {
    const target = this.#written
    while (this.#synced < target) {
      this.#syncing ??= (async () => {
        const upTo = this.#written
        try {
          await fdatasyncAsync(this.#fd)
          this.#synced = Math.max(this.#synced, upTo)
        } finally {
          this.#syncing = undefined
        }
      })()
      await this.#syncing
    }
  }

  #background(): void {
    try {
      this.flush()
      if (this.#synced < this.#written) {
        this.sync().catch((err: Error) => {
          this.failure = err
          this.#onError(err)
        })
      }
      if (
        this.#compacting === undefined &&
        this.#logBytes > Math.max(MIN_COMPACT_BYTES, this.#snapshotBytes)
      ) {
        this.#compacting = this.compact()
          .catch((err: Error) => {
            this.#onError(err)
          })
          .finally(() => {
            this.#compacting = undefined
          })
      }
    } catch {}
  }

  /**
   * A new snapshot, written in the background: a new log segment takes every change from now on,
   * the records are written a batch per event-loop turn, then the snapshot replaces the old one
   * and the older segments go. A record changed meanwhile is in the new segment too, and the
   * segment is replayed after the snapshot, so the result is the latest state.
   */
  async compact(): Promise<void> {
    this.flush()
    await this.sync()
    const generation = this.#generation + 1
    const fd = openSync(segmentName(this.file, generation), 'a', 0o600)
    const old = this.#fd
    this.#fd = fd
    this.#generation = generation
    this.#logBytes = 0
    // What requests wrote to the old segment while the sync above ran: on disk before it closes.
    fsyncSync(old)
    // A sync that started on the old segment just before the switch may still be queued in Node's
    // thread pool: the descriptor closes after it (closed under it, it fails with EBADF, or syncs
    // whichever file gets the number next). A sync started from now on is on the new segment.
    await this.#syncing?.catch(() => {})
    closeSync(old)
    const tmp = tmpName(this.file)
    const handle = await openFile(tmp, 'w', 0o600)
    let bytes = 0
    try {
      let batch = [headerLine(this.#domain, generation)]
      for (const line of snapshotLines(this.#domain)) {
        batch.push(line)
        if (batch.length >= SNAPSHOT_BATCH) {
          bytes += (await handle.write(batch.join('\n') + '\n')).bytesWritten
          batch = []
        }
      }
      bytes += (await handle.write(batch.join('\n') + '\n')).bytesWritten
      await handle.sync()
    } catch (err) {
      await handle.close()
      try {
        unlinkSync(tmp)
      } catch {}
      throw err
    }
    await handle.close()
    if (this.#closed) {
      try {
        unlinkSync(tmp)
      } catch {}
      return
    }
    renameSync(tmp, this.file)
    this.#snapshotBytes = bytes
    this.#removeSegmentsBefore(generation)
  }

  #removeSegmentsBefore(generation: number): void {
    for (const s of segments(this.file)) {
      if (s.generation < generation) {
        try {
          unlinkSync(s.path)
        } catch {}
      }
    }
  }

  /** Last writes and fsync; throws when they fail (the process should then exit non-zero). */
  async close(): Promise<void> {
    if (this.#closed) return
    if (this.#timer !== undefined) clearInterval(this.#timer)
    await this.#compacting
    this.flush()
    this.#closed = true
    this.#domain.store.listen(undefined)
    // As in compact(): no sync may still be running on the descriptor that closes.
    await this.#syncing?.catch(() => {})
    try {
      fsyncSync(this.#fd)
    } finally {
      closeSync(this.#fd)
    }
    if (this.failure !== undefined) {
      throw new StateFileError(`${this.file}: some changes could not be saved: ${this.failure.message}`)
    }
  }
}

/** Loads the file now (refusing to start if it is damaged or cannot be written); logs every change. */
export function persistState(
  app: FastifyInstance,
  file: string,
  durability: Durability = 'write',
): StateWriter {
  const writer = new StateWriter(app.domain, file, durability, (err) => {
    app.log.error({ err, file }, 'could not write the state file')
  })
  app.log.info({ file, durability }, 'state file in use')
  // Before the answer leaves: the change is in the log ('write') or on disk ('fsync').
  if (durability === 'fsync') {
    app.addHook('onSend', async (_request, _reply, payload) => {
      writer.flush()
      await writer.sync()
      return payload
    })
  } else {
    app.addHook('onSend', (_request, _reply, payload, done) => {
      writer.flush()
      done(null, payload)
    })
  }
  app.addHook('onClose', async () => {
    await writer.close()
  })
  app.decorate('stateWriter', writer)
  return writer
}
