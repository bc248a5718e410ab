import { randomUUID } from 'node:crypto'
import t from 'tap'
import { hashWords, PackedCollection, type Layout } from '../../dist/domain/packed.js'
import { Collection } from '../../dist/domain/store.js'

/**
 * The packed collection (src/domain/packed.ts) against a Map: whatever is set comes back as it was
 * set (fields whose value is undefined come back absent), whatever the fields hold; every change
 * is told; lookups match keys exactly. The domain's tests show it through the API.
 */

const layout: Layout = {
  key: 'id',
  fields: [
    ['other', 'uuid'],
    ['atMs', 'number'],
    ['status', 'shared'],
    ['address', 'shared'],
  ],
}
type Row = Record<string, unknown>

function packed(): { rows: PackedCollection<Row>; told: string[] } {
  const told: string[] = []
  return { rows: new PackedCollection<Row>(layout, (key) => told.push(key)), told }
}

const address = Object.freeze({ city: 'Stockholm' })

t.test('a record comes back as it was set, whatever its fields hold', async (t) => {
  const id = randomUUID()
  const cases: Array<[string, Row]> = [
    [
      'every field of its kind',
      { id, other: randomUUID(), atMs: 1_780_000_000_123, status: 'ACTIVE', address },
    ],
    ['fields the layout does not name', { id, note: 'x', nested: { a: [1, 2] }, flag: false }],
    ['an id that is not a lowercase UUID', { id, other: 'ABC' }],
    ['an upper-case UUID in a uuid field', { id, other: randomUUID().toUpperCase() }],
    ['the nil UUID in a uuid field', { id, other: '00000000-0000-0000-0000-000000000000' }],
    ['a number field holding a string, NaN or null', { id, atMs: 'soon', status: null }],
    ['a shared field holding an object that is not frozen', { id, address: { city: 'Oslo' } }],
    [
      'a shared field holding a long string, a boolean, a number',
      { id, status: 'x'.repeat(300), address: true, other: 7 },
    ],
    ['a key field that differs from the key', { id: 'not the key' }],
    ['no fields at all', {}],
  ]
  for (const [what, record] of cases) {
    const { rows } = packed()
    rows.set(id, record)
    const back = rows.get(id)
    const expected = { id, ...record }
    t.same(back, expected, what)
    t.same(Object.keys(back ?? {}).sort(), Object.keys(expected).sort(), `${what}: no field more or less`)
    for (const name of ['id', 'other', 'atMs', 'status', 'address', 'note', 'nested', 'flag'] as const) {
      t.same(
        rows.field(id, name),
        (expected as Record<string, unknown>)[name],
        `${what}: field ${name} alone`,
      )
    }
    t.equal(rows.field(randomUUID(), 'id'), undefined, `${what}: no field of a record not kept`)
  }
  const { rows } = packed()
  rows.set(id, { id, atMs: Number.NaN })
  t.same(rows.get(id), { id, atMs: Number.NaN }, 'NaN comes back NaN')
  rows.set(id, { id, status: undefined, other: undefined, atMs: undefined, extra: undefined })
  t.strictSame(rows.get(id), { id }, 'undefined fields come back absent')
  t.equal(rows.get(id)?.address, undefined)
  rows.set(id, { id, address })
  t.equal(rows.get(id)?.address, address, 'a frozen shared value comes back as the same object')
})

t.test('keys are matched exactly, as by a Map', async (t) => {
  const { rows } = packed()
  const id = randomUUID()
  const odd = ['', 'abc', id.toUpperCase(), `${id} `, id.replaceAll('-', '_'), 'g'.repeat(36), '0'.repeat(36)]
  rows.set(id, { id, status: 'uuid' })
  for (const key of odd) t.notOk(rows.has(key), `${JSON.stringify(key)} is not ${id}`)
  for (const [i, key] of odd.entries()) rows.set(key, { id: key, status: `odd ${i}` })
  for (const [i, key] of odd.entries()) {
    t.equal(rows.get(key)?.status, `odd ${i}`, `${JSON.stringify(key)} kept apart`)
  }
  t.equal(rows.get(id)?.status, 'uuid')
  t.equal(rows.size, odd.length + 1)
  t.same(new Set(rows.keys()), new Set([id, ...odd]), 'keys() gives every key back as it was set')
  for (const key of odd) t.ok(rows.delete(key))
  t.notOk(rows.delete('abc'), 'a deleted key is gone')
  t.same([...rows.keys()], [id])
  t.equal(rows.get('0'.repeat(36)), undefined)
})

t.test('set, touch and delete tell of the key; reads and misses do not', async (t) => {
  const { rows, told } = packed()
  const id = randomUUID()
  rows.set(id, { id, status: 'A' })
  rows.get(id)
  rows.has(id)
  rows.touch(randomUUID(), { status: 'B' })
  t.notOk(rows.delete(randomUUID()))
  const record = rows.get(id)!
  record.status = 'B'
  t.equal(rows.get(id)?.status, 'A', 'a record changed in place is not kept until it is set again')
  rows.touch(id, record)
  t.equal(rows.get(id)?.status, 'B', 'touch sets it again')
  t.ok(rows.delete(id))
  t.same(told, [id, id, id])
  t.equal(rows.size, 0)
})

t.test(
  'update sets one field as touch of the changed record would, in a packed collection as in a Map one',
  async (t) => {
    const { rows, told } = packed()
    const map = new Collection<Row>(() => {})
    const id = randomUUID()
    const start: Row = { id, other: randomUUID(), atMs: 5, status: 'A', address, note: 'kept' }
    rows.set(id, { ...start })
    map.set(id, { ...start })
    told.length = 0
    const steps: Array<[string, unknown]> = [
      ['other', randomUUID()], // a UUID into its words
      ['other', 'not-a-uuid'], // into the extras
      ['other', randomUUID()], // out of the extras again
      ['other', '00000000-0000-0000-0000-000000000000'], // the nil UUID is kept as it is
      ['other', undefined], // absent
      ['atMs', 7],
      ['atMs', Number.NaN],
      ['atMs', 'late'],
      ['atMs', 9],
      ['status', 'B'],
      ['address', { city: 'not frozen' }],
      ['address', address],
      ['note', 'changed'], // a field the layout does not name
      ['fresh', 1],
    ]
    for (const [name, value] of steps) {
      rows.update(id, name, value)
      map.update(id, name, value)
      // A field set to undefined comes back absent from a packed collection, as JSON would write it.
      const expected = Object.fromEntries(Object.entries(map.get(id)!).filter(([, v]) => v !== undefined))
      t.strictSame(rows.get(id), expected, `after ${name} = ${String(value)}`)
    }
    t.same(rows.get(id), { id, atMs: 9, status: 'B', address, note: 'changed', fresh: 1 })
    t.equal(rows.get(id)?.address, address, 'a shared value comes back as the one object')
    t.equal(told.length, steps.length, 'each update tells of the key')
    rows.update(randomUUID(), 'status', 'C')
    map.update(randomUUID(), 'status', 'C')
    t.equal(told.length, steps.length, 'an absent key: nothing set, nothing told')
    t.equal(rows.size, 1)
  },
)

t.test('a layout of a key alone keeps every other field as it is', async (t) => {
  const rows = new PackedCollection<Row>({ key: 'id', fields: [] }, () => {})
  const id = randomUUID()
  rows.set(id, { id, status: 'A', atMs: 1 })
  t.strictSame(rows.get(id), { id, status: 'A', atMs: 1 })
  rows.update(id, 'status', 'B')
  t.strictSame(rows.get(id), { id, status: 'B', atMs: 1 })
})

t.test('a field name that is not an identifier is refused when the layout is first used', async (t) => {
  t.throws(() => new PackedCollection<Row>({ key: 'id', fields: [['a-b', 'number']] }, () => {}), {
    name: 'TypeError',
    message: 'field name "a-b" is not an identifier',
  })
})

t.test('many rows: growth, deletes that shift collisions, reuse of freed rows, iteration', async (t) => {
  const { rows } = packed()
  const map = new Map<string, Row>()
  const statuses = Array.from({ length: 300 }, (_, i) => `status ${i}`)
  const n = 10_000
  const ids = Array.from({ length: n }, () => randomUUID())
  // Keys that differ in their last word only (ids a state file of another tool might hold).
  const near = Array.from({ length: 50 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
  for (const [i, id] of [...ids, ...near].entries()) {
    const record = { id, other: ids[(i + 1) % n], atMs: i, status: statuses[i % statuses.length] }
    rows.set(id, record)
    map.set(id, record)
  }
  // Every third goes, then as many new come (they take the freed rows).
  let deleted = 0
  for (const [i, id] of [...ids, ...near].entries()) {
    if (i % 3 === 0 && rows.delete(id) && map.delete(id)) deleted++
  }
  t.equal(deleted, Math.ceil((n + near.length) / 3), 'each delete found its record')
  for (let i = 0; i < n / 3; i++) {
    const id = randomUUID()
    const record = { id, atMs: -i, address }
    rows.set(id, record)
    map.set(id, record)
  }
  t.equal(rows.size, map.size)
  let same = 0
  for (const [id, record] of map) if (JSON.stringify(rows.get(id)) === JSON.stringify(record)) same++
  t.equal(same, map.size, 'every record reads back as the Map has it')
  const seen = new Map(rows.entries())
  t.equal(seen.size, map.size, 'entries() gives each record once')
  t.same([...rows.values()].length, map.size)
  let matched = 0
  for (const [id, record] of rows) if (JSON.stringify(record) === JSON.stringify(map.get(id))) matched++
  t.equal(matched, map.size)
  t.equal(ids.filter((id, i) => i % 3 === 0 && rows.has(id)).length, 0, 'no deleted key is found')
  t.equal(rows.get(randomUUID()), undefined, 'an unknown key in a full table')
})

t.test('deleteWhere deletes by a number field, in a packed collection as in a Map one', async (t) => {
  for (const [what, make] of [
    ['packed', () => packed()],
    [
      'Map',
      () => {
        const told: string[] = []
        return { rows: new Collection<Row>((key) => told.push(key)), told }
      },
    ],
  ] as const) {
    const { rows, told } = make()
    const ids = Array.from({ length: 6 }, () => randomUUID())
    ids.forEach((id, i) => rows.set(id, { id, atMs: i * 10 }))
    rows.set('other key', { id: 'other key', atMs: 100 })
    rows.set(ids[5]!, { id: ids[5], atMs: 'not a number' })
    told.length = 0
    const removed = rows.deleteWhere('atMs', (ms) => ms >= 20)
    t.equal(removed, 4, `${what}: 20, 30, 40 and the odd key's 100`)
    t.same(told.sort(), [ids[2], ids[3], ids[4], 'other key'].sort(), `${what}: each told`)
    t.same([...rows.keys()].sort(), [ids[0], ids[1], ids[5]].sort())
    t.equal(rows.field(ids[1]!, 'atMs'), 10, `${what}: field reads one field`)
    t.equal(rows.field(ids[1]!, 'status'), undefined, `${what}: a field not set`)
    t.equal(rows.field(ids[2]!, 'atMs'), undefined, `${what}: a record not kept`)
  }
  const { rows } = packed()
  t.throws(() => rows.deleteWhere('status', () => true), /status is not a number field/)
})

t.test('a shared field keeps 255 values; beyond, each record keeps its own', async (t) => {
  const { rows } = packed()
  const ids = Array.from({ length: 400 }, () => randomUUID())
  ids.forEach((id, i) => rows.set(id, { id, status: `status ${i}` }))
  let right = 0
  ids.forEach((id, i) => {
    if (rows.get(id)?.status === `status ${i}`) right++
  })
  t.equal(right, ids.length)
})

t.test('two keys of one hash: each finds its own record, before and after the other goes', async (t) => {
  // The hash mixes the key's four words in turn, each step a bijection: given the first three
  // words of two keys, the fourth word of the second that gives the first's hash follows.
  const mix = (h: number, w: number, m: number): number => Math.imul(h ^ w, m)
  const head = mix(mix(0x12345678 ^ 0x9e3779b9, 0, 0x85ebca6b) ^ 0x0badcafe, 0, 0xc2b2ae35)
  const third = (c: number): number => mix(head, c, 0x27d4eb2f)
  const words1 = new Int32Array([0x12345678, 0x0badcafe, 0x11111111, 0x22222222])
  const words2 = new Int32Array([
    0x12345678,
    0x0badcafe,
    0x33333333,
    third(0x11111111) ^ 0x22222222 ^ third(0x33333333),
  ])
  const uuid = (w: Int32Array): string => {
    const hex = [...w].map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }
  t.equal(
    hashWords(words1, 0),
    hashWords(words2, 0),
    'the two keys hash alike (else this test tests nothing)',
  )
  const [one, two] = [uuid(words1), uuid(words2)]
  t.not(one, two)
  const { rows } = packed()
  rows.set(one, { id: one, atMs: 1 })
  rows.set(two, { id: two, atMs: 2 })
  t.same(
    [rows.get(one), rows.get(two)],
    [
      { id: one, atMs: 1 },
      { id: two, atMs: 2 },
    ],
  )
  t.ok(rows.delete(one))
  t.same([rows.get(one), rows.get(two)], [undefined, { id: two, atMs: 2 }], 'the second is still found')
  rows.set(one, { id: one, atMs: 3 })
  t.ok(rows.delete(two))
  t.same(
    [rows.get(one), rows.get(two)],
    [{ id: one, atMs: 3 }, undefined],
    'and the first, the other way round',
  )
})
