import { createHmac } from 'node:crypto'
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

t.test('a signed link verifies with its secret only, and not once changed', async (t) => {
  const link = { s: '8e4d88d8-cae9-4b4c-8a91-19b7af52c434', w: 'customer token created' }
  const signed = new LinkSigner('one').sign(link)
  t.same(new LinkSigner('one').verify(signed), link)
  t.equal(new LinkSigner('two').verify(signed), undefined, 'another secret')
  // A character of the tag's middle (the last one also carries two bits base64url leaves unused).
  const at = signed.indexOf('.') + 20
  const changed = `${signed.slice(0, at)}${signed[at] === 'A' ? 'B' : 'A'}${signed.slice(at + 1)}`
  t.equal(new LinkSigner('one').verify(changed), undefined, 'a changed tag')
  // Another link's payload (valid JSON, so only the tag can refuse it) under this link's tag.
  const otherPayload = new LinkSigner('one').sign({ ...link, s: 'another-session' }).split('.')[0]
  const payloadChanged = `${otherPayload}.${signed.split('.')[1]}`
  t.equal(new LinkSigner('one').verify(payloadChanged), undefined, 'a changed payload')
  t.equal(
    new LinkSigner(undefined).verify(new LinkSigner(undefined).sign(link)),
    undefined,
    'two random secrets',
  )
})

t.test('a link of an earlier version (tagged with the HMAC of its payload) still opens', async (t) => {
  const link = { s: '8e4d88d8-cae9-4b4c-8a91-19b7af52c434', w: 'customer token created' }
  const payload = Buffer.from(JSON.stringify(link)).toString('base64url')
  const hmac = (secret: string) => createHmac('sha256', secret).update(payload).digest('base64url')
  t.same(new LinkSigner('one').verify(`${payload}.${hmac('one')}`), link, 'its own secret')
  t.equal(new LinkSigner('one').verify(`${payload}.${hmac('two')}`), undefined, 'another secret')
  const signed = new LinkSigner('one').sign(link)
  t.equal(signed.split('.')[0], payload, 'the same payload as before')
  t.not(signed.split('.')[1], hmac('one'), 'a new link is tagged otherwise (SHA3-256 of key and payload)')
  t.equal(signed.split('.')[1]?.length, 43, '32 bytes, base64url, as the HMAC was')
})
