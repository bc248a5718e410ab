/**
 * A collection kept in typed arrays rather than as one object per record: the store of the three
 * collections that grow with a merchant's tests (sessions, authorizations, customer tokens). A
 * record costs 55–85 bytes here against 350–600 as objects in a Map (docs/performance.md).
 *
 * Each record is a row. Its fields are laid out by kind:
 *  - `uuid`: a lowercase UUID, kept as four 32-bit words (the key is one too);
 *  - `number`: a float64 (times in ms);
 *  - `shared`: an index into the field's table of shared values: strings, booleans and frozen
 *    objects (the market's sample address, the minted cart), each kept once however many rows name it.
 * A value that does not fit its field's kind (an id that is not a lowercase UUID, an object that is
 * not frozen, a string once the field's table is full) and every field the layout does not name is
 * kept as it is in the row's extras. So any record comes back as it was set, with one difference: a
 * field whose value is `undefined` comes back absent, as JSON would write it.
 *
 * `get` builds a new object each time: a record changed in place must be set again (`touch`), which
 * the store's callers do anyway so that the state file hears of it. Rows freed by `delete` are used
 * again, so iteration follows rows, not insertion.
 */

/** How a field is kept. */
export type FieldKind = 'uuid' | 'number' | 'shared'

/** The record's key field (kept as the key), then its other fields in the order a record shows them. */
export interface Layout {
  key: string
  fields: ReadonlyArray<readonly [name: string, kind: FieldKind]>
}

/** What both kinds of collection offer (store.ts): a Map's reading surface and notified changes. */
export interface Table<V> extends Iterable<[string, V]> {
  readonly size: number
  get(key: string): V | undefined
  has(key: string): boolean
  set(key: string, value: V): this
  delete(key: string): boolean
  /** One field of the record under `key`, without building the record; undefined if absent. */
  field<K extends keyof V & string>(key: string, name: K): V[K] | undefined
  /** Says that the record under `key`, changed in place, is now `value` (if the key is still there). */
  touch(key: string, value: V): void
  /**
   * Sets one field of the record under `key` (if the key is still there) and tells of the key, as
   * `touch` of the record so changed would; the record is not built.
   */
  update<K extends keyof V & string>(key: string, name: K, value: V[K]): void
  /** Deletes every record whose number field `field` `expired` says is past; returns how many went. */
  deleteWhere(field: string, expired: (value: number) => boolean): number
  keys(): IterableIterator<string>
  values(): IterableIterator<V>
  entries(): IterableIterator<[string, V]>
}

/** Distinct values a `shared` field keeps (per collection); more go to the rows' extras. */
const sharedLimit = 255
/** A longer string is not shared (it is most likely one of a kind). */
const sharedStringLength = 256

const nibble = new Int8Array(128).fill(-1)
for (let i = 0; i < 10; i++) nibble[48 + i] = i
for (let i = 0; i < 6; i++) nibble[97 + i] = 10 + i

/**
 * Writes the lowercase UUID `s` as four words at `out[at…at+3]`; false if `s` is not one (upper
 * case included: a key is matched exactly, as a Map would).
 */
function parseUuid(s: string, out: Int32Array, at: number): boolean {
  if (s.length !== 36) return false
  let word = 0
  let nibbles = 0
  let w = at
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i)
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false
      continue
    }
    const n = c < 128 ? nibble[c]! : -1
    if (n < 0) return false
    word = (word << 4) | n
    if (++nibbles === 8) {
      out[w++] = word
      word = 0
      nibbles = 0
    }
  }
  return true
}

const hexCode = new Uint8Array([...'0123456789abcdef'].map((c) => c.charCodeAt(0)))
const text = Buffer.alloc(36)

/**
 * The four words at `words[at…at+3]` as a lowercase UUID, one flat string (decoded from a buffer:
 * built by concatenation it would be a tree of twenty pieces, about 500 bytes, where it is kept).
 */
function formatUuid(words: Int32Array, at: number): string {
  let p = 0
  for (let w = 0; w < 4; w++) {
    const word = words[at + w]!
    for (let shift = 28; shift >= 0; shift -= 4) {
      if (p === 8 || p === 13 || p === 18 || p === 23) text[p++] = 45
      text[p++] = hexCode[(word >>> shift) & 15]!
    }
  }
  return text.toString('latin1', 0, 36)
}

/** Whether the four words at `at` are the nil UUID: a uuid field's "absent" (a nil UUID value goes to the extras). */
const isNil = (words: Int32Array, at: number): boolean =>
  (words[at]! | words[at + 1]! | words[at + 2]! | words[at + 3]!) === 0

/** A key's hash (exported for its test, which makes two keys of one hash). */
export function hashWords(words: Int32Array, at: number): number {
  let h = Math.imul(words[at]! ^ 0x9e3779b9, 0x85ebca6b)
  h = Math.imul(h ^ words[at + 1]!, 0xc2b2ae35)
  h = Math.imul(h ^ words[at + 2]!, 0x27d4eb2f)
  h = Math.imul(h ^ words[at + 3]!, 0x165667b1)
  return h ^ (h >>> 15)
}

/**
 * The shared values of one field: 1-based indexes (0 is "absent"). Most fields of a merchant's
 * records hold one to three values, so the first is kept alone, the rest in a list made for the
 * second, and a Map made past eight (an array's first growth alone is 17 slots, about 150 bytes a
 * field, which a merchant with a few records would pay about twenty times).
 */
class Shared {
  #first: unknown
  #more: unknown[] | undefined
  #index: Map<unknown, number> | undefined
  #count = 0

  /** The value at `index` (1 or more). */
  at(index: number): unknown {
    return index === 1 ? this.#first : this.#more![index - 2]
  }

  /** The value's index if it is kept, else 0. */
  #find(value: unknown): number {
    if (this.#index !== undefined) return this.#index.get(value) ?? 0
    if (this.#count === 0) return 0
    if (this.#first === value) return 1
    const at = this.#more?.indexOf(value) ?? -1
    return at < 0 ? 0 : at + 2
  }

  /** The value's index, or 0 if it cannot be shared (the row keeps it in its extras). */
  indexOf(value: unknown): number {
    const known = this.#find(value)
    if (known > 0) return known
    const shareable =
      (typeof value === 'string' && value.length <= sharedStringLength) ||
      typeof value === 'boolean' ||
      (typeof value === 'object' && value !== null && Object.isFrozen(value))
    if (!shareable || this.#count >= sharedLimit) return 0
    const index = ++this.#count
    if (index === 1) this.#first = value
    else (this.#more ??= []).push(value)
    if (this.#index !== undefined) this.#index.set(value, index)
    else if (index > 8) {
      this.#index = new Map([[this.#first, 1]])
      this.#more!.forEach((v, i) => this.#index!.set(v, i + 2))
    }
    return index
  }
}

/** What a layout's collections share: its fields by kind and place (one per layout, not per merchant). */
interface Plan {
  uuidFields: string[]
  numberFields: string[]
  sharedFields: string[]
  place: Map<string, readonly [FieldKind, number]>
  /** Builds a row's record (its extras left to the caller), written for the layout: see compile(). */
  read: RowReader
  /** Writes a record's laid-out fields into its row; returns what the row keeps as it is (its extras). */
  pack: RowPacker
  /** Per laid-out field: its value in a row, and the writing of one value into a row. */
  readField: ReadonlyMap<string, FieldReader>
  writeField: ReadonlyMap<string, FieldWriter>
}
const plans = new WeakMap<Layout, Plan>()

/** What compile()'s functions are given besides the row: the helpers they call. */
interface RowTools {
  formatUuid: typeof formatUuid
  parseUuid: typeof parseUuid
  isNil: typeof isNil
  newShared: () => Shared
}
type RowReader = (
  chunk: Chunk,
  inChunk: number,
  key: string,
  shared: Array<Shared | undefined>,
  tools: RowTools,
) => Record<string, unknown>
type RowPacker = (
  chunk: Chunk,
  inChunk: number,
  key: string,
  value: Record<string, unknown>,
  shared: Array<Shared | undefined>,
  tools: RowTools,
) => Record<string, unknown> | undefined

type FieldReader = (
  chunk: Chunk,
  inChunk: number,
  shared: Array<Shared | undefined>,
  tools: RowTools,
) => unknown
/** Stores the value in the row where it fits the field's kind (true); otherwise clears the field (false). */
type FieldWriter = (
  chunk: Chunk,
  inChunk: number,
  value: unknown,
  shared: Array<Shared | undefined>,
  tools: RowTools,
) => boolean

function planOf(layout: Layout): Plan {
  let plan = plans.get(layout)
  if (plan !== undefined) return plan
  const uuidFields: string[] = []
  const numberFields: string[] = []
  const sharedFields: string[] = []
  const place = new Map<string, readonly [FieldKind, number]>()
  for (const [name, kind] of layout.fields) {
    const list = kind === 'uuid' ? uuidFields : kind === 'number' ? numberFields : sharedFields
    place.set(name, [kind, list.length])
    list.push(name)
  }
  const compiled = compile(layout, uuidFields.length, numberFields.length, sharedFields.length, place)
  plan = { uuidFields, numberFields, sharedFields, place, ...compiled }
  plans.set(layout, plan)
  return plan
}

/** A field name as the generated code writes it: a quoted literal of a name that needs no quoting. */
function literal(name: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(name)) return JSON.stringify(name)
  throw new TypeError(`field name ${JSON.stringify(name)} is not an identifier`)
}

/**
 * The code of one field of each kind, from which every generated function is written, so that what
 * a row keeps of a value is said once: `get` sets `v` to the field's value in the row (undefined
 * when it holds none); `put` stores `v` into the row and sets `kept`, or clears the field and sets
 * `kept` false when the value does not fit the kind (it then goes to the record's extras).
 */
function fieldCode(kind: FieldKind, at: number): { get: string; put: string } {
  if (kind === 'uuid') {
    const from = `w + ${4 * (at + 1)}`
    return {
      get: `v = tools.isNil(words, ${from}) ? undefined : tools.formatUuid(words, ${from})`,
      put:
        `kept = typeof v === 'string' && tools.parseUuid(v, words, ${from}) && !tools.isNil(words, ${from})\n` +
        `if (!kept) words.fill(0, ${from}, ${from} + 4)`,
    }
  }
  if (kind === 'number') {
    return {
      get: `v = numbers[n + ${at}]\nif (v !== v) v = undefined`,
      put: `kept = typeof v === 'number' && v === v\nnumbers[n + ${at}] = kept ? v : NaN`,
    }
  }
  return {
    get: `i = indexes[s + ${at}]\nv = i === 0 ? undefined : shared[${at}].at(i)`,
    put:
      `i = v === undefined ? 0 : (shared[${at}] ??= tools.newShared()).indexOf(v)\n` +
      `indexes[s + ${at}] = i\nkept = i !== 0`,
  }
}

/**
 * The layout's row reader and packer, and each field's reader and writer, written as code with the
 * field names in it (as fast-json-stringify writes a serializer for a schema): a record is then
 * built with a store per named field, the same object shape every time, where a loop over the
 * fields would store by a computed name (V8's slow path: about a microsecond per record of a dozen
 * fields, and a read or a creation builds two or three records). Names come from the layouts in
 * store.ts, checked to be identifiers. The semantics are those described at the top of this file.
 */
function compile(
  layout: Layout,
  uuids: number,
  numbers: number,
  shareds: number,
  place: ReadonlyMap<string, readonly [FieldKind, number]>,
): Pick<Plan, 'read' | 'pack' | 'readField' | 'writeField'> {
  const stride = 4 * (1 + uuids)
  const head = [
    'const words = chunk.words, numbers = chunk.numbers, indexes = chunk.shared',
    `const w = inChunk * ${stride}, n = inChunk * ${numbers}, s = inChunk * ${shareds}`,
    'let v, i, kept',
  ]
  const read = [...head, `const r = { ${literal(layout.key)}: key }`]
  const pack = [...head, 'let extras']
  const readField = new Map<string, FieldReader>()
  const writeField = new Map<string, FieldWriter>()
  /* eslint-disable no-new-func -- the code is written here from the layout's checked field names */
  for (const [name] of layout.fields) {
    const [kind, at] = place.get(name)!
    const field = literal(name)
    const { get, put } = fieldCode(kind, at)
    read.push(get, `if (v !== undefined) r[${field}] = v`)
    pack.push(`v = value[${field}]`, put, `if (!kept && v !== undefined) (extras ??= {})[${field}] = v`)
    readField.set(
      name,
      new Function(
        'chunk',
        'inChunk',
        'shared',
        'tools',
        [...head, get, 'return v'].join('\n'),
      ) as FieldReader,
    )
    writeField.set(
      name,
      new Function(
        'chunk',
        'inChunk',
        'value',
        'shared',
        'tools',
        [...head, 'v = value', put, 'return kept'].join('\n'),
      ) as FieldWriter,
    )
  }
  read.push('return r')
  pack.push(
    'for (const name in value) {',
    // The laid-out fields are skipped (a layout without fields has none to skip).
    layout.fields.length === 0
      ? ''
      : `  switch (name) { ${layout.fields.map(([name]) => `case ${literal(name)}:`).join(' ')} continue }`,
    '  v = value[name]',
    `  if (v !== undefined && (name !== ${literal(layout.key)} || v !== key)) (extras ??= {})[name] = v`,
    '}',
    'return extras',
  )
  return {
    read: new Function('chunk', 'inChunk', 'key', 'shared', 'tools', read.join('\n')) as RowReader,
    pack: new Function('chunk', 'inChunk', 'key', 'value', 'shared', 'tools', pack.join('\n')) as RowPacker,
    readField,
    writeField,
  }
  /* eslint-enable no-new-func */
}

const tools: RowTools = { formatUuid, parseUuid, isNil, newShared: () => new Shared() }

/** Where a key is parsed to be looked up (the collections are used from one thread, call by call). */
const scratch = new Int32Array(4)

/** Row states. */
const FREE = 0
const UUID_KEY = 1
const OTHER_KEY = 2

/**
 * Rows per chunk: the columns of 4,096 rows, allocated once and never moved. The first chunk
 * starts at 4 rows and doubles up to it (most merchants keep a handful of records); after it, a
 * collection grows a chunk at a time, without copying what it holds or leaving freed buffers behind.
 */
const CHUNK_BITS = 12
const CHUNK = 1 << CHUNK_BITS
const IN_CHUNK = CHUNK - 1

/** The columns of a chunk of rows. */
interface Chunk {
  state: Uint8Array
  /** Per row: the key's four words, then four per uuid field. */
  words: Int32Array
  numbers: Float64Array
  shared: Uint8Array
}

export class PackedCollection<V extends object> implements Table<V> {
  readonly #notify: (key: string) => void
  readonly #key: string
  readonly #numberFields: readonly string[]
  readonly #sharedFields: readonly string[]
  /** Each shared field's values, made when the field first holds one. */
  readonly #shared: Array<Shared | undefined> = []
  /** Field name → its kind and place, for field() and update(). */
  readonly #place: ReadonlyMap<string, readonly [FieldKind, number]>
  /** The layout's compiled row reader and packer, and each field's reader and writer. */
  readonly #read: RowReader
  readonly #packRow: RowPacker
  readonly #readField: ReadonlyMap<string, FieldReader>
  readonly #writeField: ReadonlyMap<string, FieldWriter>
  /** Words per row: the key, then each uuid field. */
  readonly #wordStride: number
  readonly #chunks: Chunk[] = []
  #capacity = 0
  /** Rows ever used; rows below it are used or on #free. */
  #top = 0
  #size = 0
  readonly #free: number[] = []
  /** What rows keep as it is, by row; made when a row first has such a field (as the next two). */
  #extras: Map<number, Record<string, unknown>> | undefined
  /** Keys that are not lowercase UUIDs, and the key of each such row. */
  #otherKeys: Map<string, number> | undefined
  #otherKeyOf: Map<number, string> | undefined
  /**
   * Open addressing (linear probing) over the UUID keys: row + 1, 0 for empty; beside each, its
   * key's hash, so that a probe reads the row's words only when the hash matches (the rows are
   * scattered over the chunks: a probe that reads them costs a cache miss each).
   */
  #slots = new Int32Array(8)
  #hashes = new Int32Array(8)
  #slotCount = 0
  /**
   * The row last found and its key: a call reads one record a few times in a row (a customer
   * token's creation: its authorization's sticky scenario, the record, then its update).
   */
  #lastKey: string | undefined
  #lastRow = -1

  constructor(layout: Layout, notify: (key: string) => void) {
    const plan = planOf(layout)
    this.#notify = notify
    this.#key = layout.key
    this.#numberFields = plan.numberFields
    this.#sharedFields = plan.sharedFields
    this.#place = plan.place
    this.#read = plan.read
    this.#packRow = plan.pack
    this.#readField = plan.readField
    this.#writeField = plan.writeField
    this.#wordStride = 4 * (1 + plan.uuidFields.length)
  }

  get size(): number {
    return this.#size
  }

  /** Whether the field is kept by index among shared values (so that equal values are best one object). */
  sharesField(name: string): boolean {
    return this.#place.get(name)?.[0] === 'shared'
  }

  has(key: string): boolean {
    return this.#rowOf(key) >= 0
  }

  get(key: string): V | undefined {
    const row = this.#rowOf(key)
    return row < 0 ? undefined : this.#record(row, key)
  }

  field<K extends keyof V & string>(key: string, name: K): V[K] | undefined {
    const row = this.#rowOf(key)
    if (row < 0) return undefined
    const extras = this.#extras?.get(row)
    if (extras !== undefined && name in extras) return extras[name] as V[K]
    if (name === this.#key) return key as V[K]
    const read = this.#readField.get(name)
    return read?.(this.#chunks[row >>> CHUNK_BITS]!, row & IN_CHUNK, this.#shared, tools) as V[K] | undefined
  }

  set(key: string, value: V): this {
    const row = this.#rowOf(key)
    this.#setRow(row < 0 ? this.#add(key) : row, key, value)
    return this
  }

  touch(key: string, value: V): void {
    const row = this.#rowOf(key)
    if (row >= 0) this.#setRow(row, key, value)
  }

  update<K extends keyof V & string>(key: string, name: K, value: V[K]): void {
    const row = this.#rowOf(key)
    if (row < 0) return
    if (!this.#write(row, name, value)) {
      const record = this.#record(row, key)
      record[name] = value
      this.#extras?.delete(row)
      this.#pack(row, key, record as Record<string, unknown>)
    }
    this.#notify(key)
  }

  /**
   * Writes a laid-out field's value into its row where it fits the field's kind; false where the
   * record must be packed again instead (the value would go to the extras, or the extras hold the
   * field). A value that does not fit has cleared the field: the record packed again sets it.
   */
  #write(row: number, name: string, value: unknown): boolean {
    const write = this.#writeField.get(name)
    if (write === undefined) return false
    const extras = this.#extras?.get(row)
    if (extras !== undefined && name in extras) return false
    return write(this.#chunks[row >>> CHUNK_BITS]!, row & IN_CHUNK, value, this.#shared, tools)
  }

  #setRow(row: number, key: string, value: V): void {
    this.#extras?.delete(row)
    this.#pack(row, key, value as Record<string, unknown>)
    this.#notify(key)
  }

  delete(key: string): boolean {
    const row = this.#rowOf(key)
    if (row < 0) return false
    this.#remove(row, key)
    this.#notify(key)
    return true
  }

  deleteWhere(field: string, expired: (value: number) => boolean): number {
    const place = this.#place.get(field)
    if (place?.[0] !== 'number') throw new TypeError(`${field} is not a number field`)
    const stride = this.#numberFields.length
    let removed = 0
    for (let row = 0; row < this.#top; row++) {
      const chunk = this.#chunks[row >>> CHUNK_BITS]!
      const at = row & IN_CHUNK
      if (chunk.state[at] === FREE) continue
      const extra = this.#extras?.get(row)?.[field]
      const value = extra === undefined ? chunk.numbers[at * stride + place[1]]! : (extra as number)
      if (!expired(value)) continue
      const key = this.#keyOf(row)
      this.#remove(row, key)
      this.#notify(key)
      removed++
    }
    return removed
  }

  *keys(): IterableIterator<string> {
    for (let row = 0; row < this.#top; row++) if (this.#stateOf(row) !== FREE) yield this.#keyOf(row)
  }

  *values(): IterableIterator<V> {
    for (const [, value] of this.entries()) yield value
  }

  *entries(): IterableIterator<[string, V]> {
    for (let row = 0; row < this.#top; row++) {
      if (this.#stateOf(row) === FREE) continue
      const key = this.#keyOf(row)
      yield [key, this.#record(row, key)]
    }
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries()
  }

  #stateOf(row: number): number {
    return this.#chunks[row >>> CHUNK_BITS]!.state[row & IN_CHUNK]!
  }

  #keyOf(row: number): string {
    return this.#stateOf(row) === UUID_KEY
      ? formatUuid(this.#chunks[row >>> CHUNK_BITS]!.words, (row & IN_CHUNK) * this.#wordStride)
      : this.#otherKeyOf!.get(row)!
  }

  /** The row's key words: its chunk's words and where they start. */
  #keyWords(row: number): [Int32Array, number] {
    return [this.#chunks[row >>> CHUNK_BITS]!.words, (row & IN_CHUNK) * this.#wordStride]
  }

  #rowOf(key: string): number {
    if (key === this.#lastKey) return this.#lastRow
    const row = this.#findRow(key)
    if (row >= 0) {
      this.#lastKey = key
      this.#lastRow = row
    }
    return row
  }

  #findRow(key: string): number {
    if (!parseUuid(key, scratch, 0)) return this.#otherKeys?.get(key) ?? -1
    const slots = this.#slots
    const hashes = this.#hashes
    const mask = slots.length - 1
    const stride = this.#wordStride
    const a = scratch[0]
    const b = scratch[1]
    const c = scratch[2]
    const d = scratch[3]
    const hash = hashWords(scratch, 0)
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const entry = slots[i]!
      if (entry === 0) return -1
      if (hashes[i] !== hash) continue
      const row = entry - 1
      const words = this.#chunks[row >>> CHUNK_BITS]!.words
      const at = (row & IN_CHUNK) * stride
      if (words[at] === a && words[at + 1] === b && words[at + 2] === c && words[at + 3] === d) return row
    }
  }

  /** A new row for a key not kept yet. */
  #add(key: string): number {
    const row = this.#free.pop() ?? this.#top++
    if (row >= this.#capacity) this.#grow()
    this.#size++
    const chunk = this.#chunks[row >>> CHUNK_BITS]!
    const at = row & IN_CHUNK
    if (parseUuid(key, chunk.words, at * this.#wordStride)) {
      chunk.state[at] = UUID_KEY
      if (5 * (this.#slotCount + 1) > 4 * this.#slots.length) this.#rehash(this.#slots.length * 2)
      this.#insertSlot(row)
    } else {
      chunk.state[at] = OTHER_KEY
      ;(this.#otherKeys ??= new Map()).set(key, row)
      ;(this.#otherKeyOf ??= new Map()).set(row, key)
    }
    return row
  }

  #remove(row: number, key: string): void {
    if (row === this.#lastRow) {
      this.#lastKey = undefined
      this.#lastRow = -1
    }
    const chunk = this.#chunks[row >>> CHUNK_BITS]!
    if (chunk.state[row & IN_CHUNK] === UUID_KEY) this.#removeSlot(row)
    else {
      this.#otherKeys?.delete(key)
      this.#otherKeyOf?.delete(row)
    }
    chunk.state[row & IN_CHUNK] = FREE
    this.#extras?.delete(row)
    // What else the row held is overwritten when it is used again.
    this.#free.push(row)
    this.#size--
  }

  #insertSlot(row: number): void {
    const [words, at] = this.#keyWords(row)
    const hash = hashWords(words, at)
    const mask = this.#slots.length - 1
    let i = hash & mask
    while (this.#slots[i] !== 0) i = (i + 1) & mask
    this.#slots[i] = row + 1
    this.#hashes[i] = hash
    this.#slotCount++
  }

  /** Linear probing's deletion by backward shift: no tombstones. */
  #removeSlot(row: number): void {
    const slots = this.#slots
    const hashes = this.#hashes
    const mask = slots.length - 1
    const [words, at] = this.#keyWords(row)
    let i = hashWords(words, at) & mask
    while (slots[i] !== row + 1) i = (i + 1) & mask
    let j = i
    for (;;) {
      j = (j + 1) & mask
      const entry = slots[j]!
      if (entry === 0) break
      const home = hashes[j]! & mask
      // The entry at j may move to the hole at i unless its home lies cyclically in (i, j].
      const stays = i <= j ? home > i && home <= j : home > i || home <= j
      if (!stays) {
        slots[i] = entry
        hashes[i] = hashes[j]!
        i = j
      }
    }
    slots[i] = 0
    this.#slotCount--
  }

  #rehash(size: number): void {
    this.#slots = new Int32Array(size)
    this.#hashes = new Int32Array(size)
    this.#slotCount = 0
    for (let row = 0; row < this.#top; row++) if (this.#stateOf(row) === UUID_KEY) this.#insertSlot(row)
  }

  /** Room for one more row: the first chunk doubles up to CHUNK rows, then a chunk is added. */
  #grow(): void {
    const rows = this.#capacity < CHUNK ? Math.max(4, this.#capacity * 2) : CHUNK
    // One buffer for the chunk's columns, widest first (each view starts where its elements align).
    const numbers = rows * this.#numberFields.length * 8
    const words = rows * this.#wordStride * 4
    const buffer = new ArrayBuffer(numbers + words + rows * (1 + this.#sharedFields.length))
    const chunk: Chunk = {
      numbers: new Float64Array(buffer, 0, rows * this.#numberFields.length),
      words: new Int32Array(buffer, numbers, rows * this.#wordStride),
      state: new Uint8Array(buffer, numbers + words, rows),
      shared: new Uint8Array(buffer, numbers + words + rows, rows * this.#sharedFields.length),
    }
    if (this.#capacity < CHUNK) {
      const first = this.#chunks[0]
      if (first !== undefined) {
        chunk.state.set(first.state)
        chunk.words.set(first.words)
        chunk.numbers.set(first.numbers)
        chunk.shared.set(first.shared)
      }
      this.#chunks[0] = chunk
      this.#capacity = rows
    } else {
      this.#chunks.push(chunk)
      this.#capacity += rows
    }
  }

  #pack(row: number, key: string, value: Record<string, unknown>): void {
    const extras = this.#packRow(
      this.#chunks[row >>> CHUNK_BITS]!,
      row & IN_CHUNK,
      key,
      value,
      this.#shared,
      tools,
    )
    if (extras !== undefined) (this.#extras ??= new Map()).set(row, extras)
  }

  /** A laid-out field's value in a row; undefined where the row has none. */
  #record(row: number, key: string): V {
    const record = this.#read(this.#chunks[row >>> CHUNK_BITS]!, row & IN_CHUNK, key, this.#shared, tools)
    const extras = this.#extras?.get(row)
    if (extras !== undefined) Object.assign(record, extras)
    return record as V
  }
}
