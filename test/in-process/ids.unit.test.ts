import t from 'tap'
import { newId } from '../../dist/domain/ids.js'

/**
 * newId() writes random version-4 UUIDs itself (src/domain/ids.ts): every id must have the form
 * RFC 9562 gives (version 4, variant 10, lowercase, as Node's randomUUID writes them and the store
 * keeps them), and none may repeat, across the refills of its pool of random bytes (256 ids each).
 */
t.test('version-4 UUIDs, lowercase, none repeated across refills of the pool', async (t) => {
  const form = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
  const ids = Array.from({ length: 2000 }, () => newId())
  t.equal(ids.filter((id) => !form.test(id)).length, 0, 'every id has the form')
  t.equal(new Set(ids).size, ids.length, 'no id repeats')
  // Every hex digit appears at each random place: the bytes are written whole, not a part of them.
  for (const place of [0, 7, 9, 15, 20, 35]) {
    t.equal(new Set(ids.map((id) => id[place])).size, 16, `all 16 digits at character ${place}`)
  }
  t.equal(new Set(ids.map((id) => id[19])).size, 4, 'the variant digit takes its four values')
})
