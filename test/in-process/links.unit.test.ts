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
  t.equal(
    new LinkSigner('one').verify(signed.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))),
    undefined,
    'a changed MAC',
  )
  t.equal(
    new LinkSigner(undefined).verify(new LinkSigner(undefined).sign(link)),
    undefined,
    'two random secrets',
  )
})
