import t from 'tap'
import Quiet from '../reporter.mjs'

/** What test/reporter.mjs prints for a TAP stream of tap's runner, fed in chunks that cut lines. */
async function report(tap: string): Promise<string> {
  const reporter = new Quiet()
  let out = ''
  reporter.on('data', (chunk: string) => (out += chunk))
  const done = new Promise((resolve) => reporter.on('end', resolve))
  for (let at = 0; at < tap.length; at += 7) reporter.write(tap.slice(at, at + 7))
  reporter.end()
  await done
  return out
}

const passing = `TAP version 14
1..2
# Subtest: test/a.test.ts
    # Subtest: group
        ok 1 - fine
        1..1
    ok 1 - group # time=3.5ms

    1..1
    # time=12ms
ok 1 - test/a.test.ts # time=1234.5ms

# Subtest: test/b.test.ts
    ok 1 - quick
    1..1
ok 2 - test/b.test.ts # time=42.2ms

# { total: 2, pass: 2 }
# time=1500.1ms
`

t.test('all passing: a line a file with its time, then tap’s counts', async (t) => {
  t.equal(
    await report(passing),
    '✓ test/a.test.ts  1.2 s\n✓ test/b.test.ts  42 ms\n# { total: 2, pass: 2 }\n# time=1500.1ms\n',
  )
})

const failing = `TAP version 14
1..1
# Subtest: test/f.test.ts
    # Subtest: group
        not ok 1 - arithmetic
          ---
          diff: |
            --- expected
            +++ actual
            -3
            +2
          ...

        ok 2 - fine
        # Subtest: inner
            not ok 1 - deep
              ---
              at:
                lineNumber: 2
              ...

            1..1
        not ok 3 - inner # time=12.4ms
          ---
          source: the subtest's own call
          ...

        1..3
    not ok 1 - group # time=47.5ms
      ---
      source: the group's own call
      ...

    # Subtest: ok group
        ok 1 - yes
        ok 2 - skipped one # SKIP
        ok 3 - later # TODO not yet
        1..3
    ok 2 - ok group # time=1.6ms

    # Subtest: timed out
        1..0
    not ok 3 - timed out # time=30000ms
      ---
      expired: TAP
      ...

    a stray line on stdout
    1..3
not ok 1 - test/f.test.ts # time=72.2ms
  ---
  exitCode: 1
  ...

# { total: 7, pass: 2, fail: 4, todo: 1, skip: 1 }
# time=851.3ms
`

t.test('failures: each with its place and tap’s diagnostics, once; skips and todos by name', async (t) => {
  const out = await report(failing)
  t.equal(
    out,
    [
      '  ✖ test/f.test.ts › group › arithmetic',
      '    diff: |',
      '      --- expected',
      '      +++ actual',
      '      -3',
      '      +2',
      '  ✖ test/f.test.ts › group › inner › deep',
      '    at:',
      '      lineNumber: 2',
      '  ✖ test/f.test.ts › timed out',
      '    expired: TAP',
      '    a stray line on stdout',
      '✖ test/f.test.ts  72 ms',
      '2 skipped or to do:',
      '  SKIP test/f.test.ts › ok group › skipped one',
      '  TODO test/f.test.ts › ok group › later (not yet)',
      '# { total: 7, pass: 2, fail: 4, todo: 1, skip: 1 }',
      '# time=851.3ms',
      '',
    ].join('\n'),
  )
  t.notMatch(out, /own call/, 'a subtest that failed inside is not reported again with its own diagnostics')
})

t.test(
  'a file that failed with no failing test inside (it crashed): tap’s account of the process',
  async (t) => {
    const out = await report(`TAP version 14
1..1
# Subtest: test/crash.test.ts
    ok 1 - one
    1..1
not ok 1 - test/crash.test.ts # time=25ms
  ---
  command: /usr/bin/node
  exitCode: 3
  signal: null
  ...

Bail out! no more
# { total: 2, pass: 1, fail: 1 }
`)
    t.equal(
      out,
      [
        '✖ test/crash.test.ts  25 ms',
        '    command: /usr/bin/node',
        '    exitCode: 3',
        '    signal: null',
        'Bail out! no more',
        '# { total: 2, pass: 1, fail: 1 }',
        '',
      ].join('\n'),
    )
  },
)

t.test('names as the tests gave them: TAP’s escapes of # and \\ undone', async (t) => {
  const out = await report(`TAP version 14
1..1
# Subtest: test/e.test.ts
    # Subtest: issue \\#16 and a back\\\\slash
        not ok 1 - inner \\#1
        1..1
    not ok 1 - issue \\#16 and a back\\\\slash # time=29.7ms
    1..1
not ok 1 - test/e.test.ts # time=43.8ms
`)
  t.equal(out, '  ✖ test/e.test.ts › issue #16 and a back\\slash › inner #1\n✖ test/e.test.ts  44 ms\n')
})

t.test(
  'a `not ok` under TODO or SKIP is listed, not reported as a failure (tap counts it as a todo)',
  async (t) => {
    // What tap 21 writes for `t.equal(1, 2, 'an assertion known wrong', { todo: true })`.
    const out = await report(`TAP version 14
1..1
# Subtest: test/t.test.ts
    ok 1 - known bug # TODO not fixed yet
    not ok 2 - an assertion known wrong # TODO
    not ok 3 - skipped, wrong anyway # SKIP no network
    ok 4 - fine
    1..4
ok 1 - test/t.test.ts # time=10.5ms

# { total: 4, pass: 1, todo: 2, skip: 1 }
`)
    t.equal(
      out,
      [
        '✓ test/t.test.ts  11 ms',
        '3 skipped or to do:',
        '  TODO test/t.test.ts › known bug (not fixed yet)',
        '  TODO test/t.test.ts › an assertion known wrong',
        '  SKIP test/t.test.ts › skipped, wrong anyway (no network)',
        '# { total: 4, pass: 1, todo: 2, skip: 1 }',
        '',
      ].join('\n'),
    )
  },
)
