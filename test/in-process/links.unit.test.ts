import { createHash, createHmac } from 'node:crypto'
import t from 'tap'
import { LinkSigner } from '../../dist/domain/links.js'

/**
 * The link signer computes HMAC-SHA256 from precomputed pads (src/domain/links.ts): its MACs must
 * be the very bytes of Node's createHmac, whatever the secret's length (a secret longer than
 * SHA-256's 64-byte block is hashed first) and the payload's characters, so that links signed
 * before and after the change, and by replicas of other versions, still verify.
 */
t.test('the same MAC as createHmac for every length of secret', async (t) => {
  const payloads = ['', 'a', 'eyJzIjoiOGU0ZDg4ZDgifQ', 'Stårgatan 1 ✓ 𝄞', 'x'.repeat(1000)]
  for (const secret of ['k', 'secret', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(65), 'å'.repeat(100)]) {
    const signer = new LinkSigner(secret)
    for (const payload of payloads) {
      t.equal(
        signer.mac(payload),
        createHmac('sha256', secret).update(payload).digest('base64url'),
        `a ${secret.length}-character secret, a ${payload.length}-character payload`,
      )
    }
  }
})

/** A link's query parameters, as the redirect route receives them (decoded). */
const fieldsOf = (query: string): Record<string, string> => Object.fromEntries(new URLSearchParams(query))

t.test('a signed link verifies with its secret only, and not once changed', async (t) => {
  const link = { s: '8e4d88d8-cae9-4b4c-8a91-19b7af52c434', w: 'customer token created' }
  const query = new LinkSigner('one').query(link)
  t.match(query, /^s=8e4d88d8-cae9-4b4c-8a91-19b7af52c434&w=customer%20token%20created&tag=[\w-]{43}$/)
  t.same(new LinkSigner('one').verifyQuery(fieldsOf(query)), link)
  t.equal(new LinkSigner('two').verifyQuery(fieldsOf(query)), undefined, 'another secret')
  const fields = fieldsOf(query)
  const tag = fields.tag ?? ''
  // A character of the tag's middle (the last one also carries two bits base64url leaves unused).
  const changedTag = `${tag.slice(0, 20)}${tag[20] === 'A' ? 'B' : 'A'}${tag.slice(21)}`
  t.equal(new LinkSigner('one').verifyQuery({ ...fields, tag: changedTag }), undefined, 'a changed tag')
  for (const [name, value] of [
    ['s', 'another-session'],
    ['w', 'order placed'],
    ['o', 'an-order'],
    ['c', 'https://evil.example/'],
    ['c', ''],
  ] as const) {
    t.equal(
      new LinkSigner('one').verifyQuery({ ...fields, [name]: value }),
      undefined,
      `${name} changed to "${value}"`,
    )
  }
  t.equal(new LinkSigner('one').verifyQuery({ ...fields, tag: undefined }), undefined, 'no tag')
  t.equal(new LinkSigner('one').verifyQuery({ ...fields, s: undefined }), undefined, 'no session')
  t.equal(
    new LinkSigner(undefined).verifyQuery(fieldsOf(new LinkSigner(undefined).query(link))),
    undefined,
    'two random secrets',
  )
})

t.test('every field survives the URL, whatever its characters; none can be moved into another', async (t) => {
  const signer = new LinkSigner('one')
  const link = {
    s: 'sess-1',
    o: 'order & more?=',
    c: 'https://shop.example/done?sid={session.id}&oid={order.id}#a b\nc+%2F',
    w: 'order placed with a customer token',
  }
  const query = signer.query(link)
  t.same(signer.verifyQuery(fieldsOf(query)), link)
  t.same(
    signer.verifyQuery(fieldsOf(signer.query({ ...link, c: '' }))),
    { ...link, c: '' },
    'an empty confirmation URL',
  )
  // The tag covers the fields joined by line feeds, each optional one marked '+' or '-': with a line
  // feed allowed in s, w or o, this link's fields could be read as other fields with the same text
  // ("sess-1\nwhat\n-\n+X\n+Z" both ways), and so with its tag.
  const genuine = { s: 'sess-1', w: 'what', c: 'X\n+Z' }
  const moved = { s: 'sess-1\nwhat', w: '-', o: 'X', c: 'Z', tag: fieldsOf(signer.query(genuine)).tag }
  t.same(signer.verifyQuery(fieldsOf(signer.query(genuine))), genuine)
  t.equal(signer.verifyQuery(moved), undefined, 'text moved between fields')
  const withFeed = { s: 'a\nb', w: 'x' }
  t.equal(
    signer.verifyQuery(fieldsOf(signer.query(withFeed))),
    undefined,
    'a line feed in the session is refused',
  )
})

t.test('links of the earlier form (?link=<payload>.<tag>) still open, with either tag', async (t) => {
  const link = { s: '8e4d88d8-cae9-4b4c-8a91-19b7af52c434', w: 'customer token created' }
  const payload = Buffer.from(JSON.stringify(link)).toString('base64url')
  const hmac = (secret: string) => createHmac('sha256', secret).update(payload).digest('base64url')
  // The tag of the form before this one: SHA3-256 of a key drawn from the secret and the payload.
  const sha3 = (secret: string, text = payload) => {
    const key = createHash('sha3-256').update('klarna-mock redirect links\n').update(secret).digest('hex')
    return createHash('sha3-256')
      .update(key + text)
      .digest('base64url')
  }

  t.same(new LinkSigner('one').verify(`${payload}.${sha3('one')}`), link, 'SHA3-256 tag, its own secret')
  t.equal(
    new LinkSigner('one').verify(`${payload}.${sha3('two')}`),
    undefined,
    'SHA3-256 tag, another secret',
  )
  t.same(new LinkSigner('one').verify(`${payload}.${hmac('one')}`), link, 'HMAC tag, its own secret')
  t.equal(new LinkSigner('one').verify(`${payload}.${hmac('two')}`), undefined, 'HMAC tag, another secret')
  t.equal(new LinkSigner('one').verify(`${payload}.${sha3('one')}.x`), undefined, 'a third part')
  const other = Buffer.from(JSON.stringify({ ...link, s: 'x' })).toString('base64url')
  t.equal(new LinkSigner('one').verify(`${other}.${sha3('one')}`), undefined, 'another payload')
  const notJson = Buffer.from('{not json').toString('base64url')
  t.equal(
    new LinkSigner('one').verify(`${notJson}.${sha3('one', notJson)}`),
    undefined,
    'a tagged payload that is not JSON',
  )
})
