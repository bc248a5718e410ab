import t from 'tap'
import {
  answerEntry,
  Journal,
  keepRequestBody,
  openEntry,
  type JournalEntry,
} from '../../dist/domain/journal.js'

/**
 * The journal seals an entry once its call is answered (src/domain/journal.ts): its text goes to
 * chunks of bytes outside the JavaScript heap, and it is read back when the journal is read. What
 * is read back must be what was sealed, field for field; the chunks must be released as entries
 * leave; an entry under way must stay the object its hooks fill in.
 */

let ids = 0
function entry(fields: Partial<JournalEntry> & { body?: string; answer?: string } = {}): JournalEntry {
  const { body, answer, ...rest } = fields
  const e = openEntry(`id-${++ids}`, 1_764_324_000_000 + ids, 'POST', `/path/${ids}`, 'op', {
    'content-type': 'application/json',
    'user-agent': 'Klarna-SDK/1.0',
    authorization: 'Basic c2VjcmV0',
  })
  if (body !== undefined) keepRequestBody(e, body)
  if (answer !== undefined) answerEntry(e, 'merchant-a', undefined, 200, answer)
  return Object.assign(e, rest)
}

/** An entry as GET /_mock/requests would compare it: the slot aside, bodies as text. */
const plain = (e: JournalEntry) => ({
  ...e,
  slot: undefined,
  requestBody:
    typeof e.requestBody === 'string' || e.requestBody === null ? e.requestBody : e.requestBody.toString(),
  responseBody:
    typeof e.responseBody === 'string' || e.responseBody === null
      ? e.responseBody
      : e.responseBody.toString(),
})

t.test('a sealed entry reads back as it was, field for field', async (t) => {
  const journal = new Journal(10)
  const cases: JournalEntry[] = [
    entry({ body: '{"a":1}', answer: '{"token_id":"x"}' }),
    entry({ merchant: null, operation: null, scenario: null, fault: null, status: null }),
    entry({ merchant: '', scenario: '', fault: 'drop', status: 503, path: '' }),
    entry({ body: 'Stårgatan 1 ✓ 𝄞 中文', answer: '"ünïcödé"', scenario: 'timeout' }),
    // Every character within Latin-1 (written a byte each), some past ASCII.
    entry({ body: 'Stårgatan 1, Ünïcödé ÿ \u0000', answer: '"é"' }),
    entry({ body: 'x'.repeat(20_000), answer: 'y'.repeat(17_000) }),
    entry({ body: '中'.repeat(6_000) }),
    entry({ request_headers: {} }),
    entry({ request_headers: { 'klarna-mock-scenario': 'a\nb', 'content-type': '' } }),
  ]
  for (const e of cases) {
    const expected = plain(e)
    journal.add(e)
    journal.seal(e)
    t.equal(e.slot, -1, 'the object no longer names a slot once sealed')
    t.strictSame(plain(journal.list({ limit: 1 })[0]!), expected, `entry ${expected.correlation_id}`)
  }
  t.same(
    journal.list({ limit: 100 }).map((e) => e.correlation_id),
    cases.map((e) => e.correlation_id).reverse(),
    'newest first',
  )
  // A lone surrogate, which no body decoded from bytes holds (nor a JSON answer, whose serializer
  // escapes it), is read back as U+FFFD, as UTF-8 writes it.
  const lone = entry({ body: '\ud800 ✓' })
  journal.add(lone)
  journal.seal(lone)
  t.equal(journal.list({ limit: 1 })[0]?.requestBody, '\ufffd ✓')
  const cut = journal.list({ limit: 100 }).find((e) => e.requestBodyTruncated)
  t.ok(cut, 'a cut body stays marked as cut')
})

t.test(
  'an entry under way is the object itself until sealed; one that left the journal is not sealed',
  async (t) => {
    const journal = new Journal(2)
    const underWay = entry()
    journal.add(underWay)
    t.equal(journal.list()[0], underWay, 'the same object, for its hooks to fill in')
    underWay.status = 201
    underWay.scenario = 'late'
    journal.seal(underWay)
    t.not(journal.list()[0], underWay)
    t.match(journal.list()[0], { status: 201, scenario: 'late' })

    const old = entry()
    journal.add(old)
    journal.add(entry())
    journal.add(entry())
    journal.seal(old)
    t.equal(journal.size, 2)
    t.notOk(
      journal.list().some((e) => e.correlation_id === old.correlation_id),
      'sealing an entry that has left changes nothing',
    )
  },
)

t.test('chunks are released as entries leave (their reuse is not seen from outside)', async (t) => {
  const journal = new Journal(100)
  const big = 'z'.repeat(5_000)
  for (let i = 0; i < 5_000; i++) {
    const e = entry({ body: big, answer: big })
    journal.add(e)
    journal.seal(e)
  }
  // 100 entries of about 10 KB: about 1 MB, in chunks of 256 KiB.
  t.ok(
    journal.chunkBytes <= 2 * 1024 * 1024,
    `${journal.chunkBytes} bytes in chunks for 100 entries of 10 KB`,
  )
  t.equal(journal.list({ limit: 1000 }).length, 100)
  t.ok(journal.list({ limit: 1000 }).every((e) => e.requestBody === big && e.responseBody === big))
  journal.clear()
  t.equal(journal.size, 0)
  t.ok(journal.chunkBytes <= 256 * 1024, 'cleared: at most the chunk being filled')
  // Bodies are cut at 16 KiB: an entry larger than a chunk is one whose fields were set directly.
  const huge = 'h'.repeat(300_000)
  const e = entry({ responseBody: huge })
  journal.add(e)
  journal.seal(e)
  t.equal(journal.list()[0]?.responseBody, huge, 'an entry larger than a chunk has one of its own')
})

t.test(
  "clearing one merchant's entries keeps the others, sealed and under way, in their order",
  async (t) => {
    const journal = new Journal(10)
    const mine = (merchant: string) => {
      const e = entry({ merchant, body: `{"m":"${merchant}"}` })
      journal.add(e)
      return e
    }
    const a1 = mine('a')
    const b1 = mine('b')
    const a2 = mine('a')
    const b2 = mine('b')
    for (const e of [a1, b1, a2]) journal.seal(e)
    journal.clear('a')
    t.same(
      journal.list().map((e) => [e.correlation_id, e.requestBody]),
      [
        [b2.correlation_id, '{"m":"b"}'],
        [b1.correlation_id, '{"m":"b"}'],
      ],
    )
    t.equal(journal.list()[0], b2, 'the one under way is still the object its hooks fill in')
    b2.status = 200
    journal.seal(b2)
    t.match(journal.list()[0], { correlation_id: b2.correlation_id, status: 200 })
  },
)

t.test('a journal of limit 0 keeps nothing', async (t) => {
  const journal = new Journal(0)
  const e = entry()
  journal.add(e)
  journal.seal(e)
  t.equal(journal.size, 0)
  t.same(journal.list(), [])
  t.equal(journal.enabled, false)
})

t.test('a journal of a billion slots costs nothing until used; its slots grow as it fills', async (t) => {
  // Its arrays allocated whole would throw (14 billion lengths are past a typed array).
  const huge = new Journal(1_000_000_000)
  const e = entry()
  huge.add(e)
  huge.seal(e)
  t.equal(huge.list()[0]?.correlation_id, e.correlation_id)
  const limited = new Journal(3000)
  const ids: string[] = []
  for (let i = 0; i < 3500; i++) {
    const e = entry({ body: `{"n":${i}}` })
    if (i % 2 === 0) {
      limited.add(e)
      limited.seal(e)
    } else limited.add(e)
    ids.push(e.correlation_id)
  }
  t.equal(limited.size, 3000)
  const listed = limited.list({ limit: 1000 })
  t.same(
    listed.map((e) => e.correlation_id),
    ids.slice(-1000).reverse(),
    'the newest thousand, sealed and under way, across the slots grown twice',
  )
  t.same(listed.at(-1)?.requestBody, `{"n":2500}`)
  limited.clear()
  t.equal(limited.size, 0)
  t.same(limited.list(), [])
})
