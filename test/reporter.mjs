import { Transform } from 'node:stream'

/** A name as the test gave it: TAP writes `#` and `\\` in names as `\\#` and `\\\\`. */
const unescape = (name) => name.replace(/\\([\\#])/g, '$1')

/**
 * npm test's reporter (.taprc `reporter`): a line for each test file as it ends, every failure with
 * where it is and tap's own diagnostics (diff, source, stack), every skip and todo by name, and
 * tap's closing counts (`# { total: N, pass: P }`, which .ci/run reads). Nothing is printed for a
 * passing test inside a file.
 *
 * Why not tap's default: it redraws its summary (an Ink/React tree) at every one of the suite's
 * ~3,000 assertions, about 3.5 CPU-seconds of the runner for the in-process file alone, on a
 * two-CPU machine whose two test lanes need them (docs/testing.md). tap's `min` costs as little
 * but prints nothing at all when every test passes, not even the counts. Raw TAP, the runner's
 * stream this reads, is still there: `npm test -- -R tap` (or `-R base` for tap's default).
 *
 * It reads tap's TAP 14 line by line: `# Subtest: name` opens a subtest whose lines are indented 4
 * spaces more; `ok`/`not ok N - name` closes a test or records an assertion; a YAML block
 * (`---` … `...`, 2 spaces deeper) follows a result with its diagnostics. A subtest's own `not ok`
 * after a failure inside it is not printed again. A test file's stderr reaches the terminal
 * directly (tap lets a stream reporter's test processes inherit it).
 */
export default class Quiet extends Transform {
  #pending = ''
  /** The names of the subtests open at each depth (depth = indent / 4). */
  #path = []
  /** Whether a failure was printed inside the subtest open at each depth. */
  #failedInside = []
  /**
   * The YAML block being read: its indent when it is printed, minus its indent when it is skipped
   * (a block is never indented less than 2), -1 when none.
   */
  #yamlIndent = -1
  /** Where the next line may open a result's YAML block (its indent), and whether to print it. */
  #expectYamlAt = -1
  #printYaml = false
  #skipsAndTodos = []
  /** The root's comments (tap's counts and time), printed last, after the skips and todos. */
  #closing = []
  #color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined

  constructor() {
    super({ decodeStrings: false, encoding: 'utf8' })
  }

  _transform(chunk, _encoding, done) {
    const lines = (this.#pending + String(chunk)).split('\n')
    this.#pending = lines.pop() ?? ''
    for (const line of lines) this.#line(line)
    done()
  }

  _flush(done) {
    if (this.#pending !== '') this.#line(this.#pending)
    if (this.#skipsAndTodos.length > 0) {
      this.push(`${this.#skipsAndTodos.length} skipped or to do:\n${this.#skipsAndTodos.join('\n')}\n`)
    }
    for (const comment of this.#closing) this.push(`${comment}\n`)
    done()
  }

  #paint(code, text) {
    return this.#color ? `\x1b[${code}m${text}\x1b[0m` : text
  }

  #line(line) {
    const indent = line.length - line.trimStart().length
    const text = line.trimStart()
    if (this.#yamlIndent !== -1) {
      if (text === '...' && indent === Math.abs(this.#yamlIndent)) {
        this.#yamlIndent = -1
      } else if (this.#yamlIndent >= 0) {
        this.push(`    ${line.slice(this.#yamlIndent)}\n`)
      }
      return
    }
    if (text === '---' && indent === this.#expectYamlAt) {
      this.#yamlIndent = this.#printYaml ? indent : -indent
      this.#expectYamlAt = -1
      return
    }
    this.#expectYamlAt = -1
    const depth = Math.floor(indent / 4)
    const subtest = /^# Subtest: (.*)$/.exec(text)
    if (subtest !== null) {
      this.#path.length = depth
      this.#path[depth] = unescape(subtest[1])
      this.#failedInside.length = depth
      this.#failedInside[depth] = false
      return
    }
    const result = /^(not ok|ok) \d+(?: - (.*?))?(?: # (SKIP|TODO)\b(.*?))?(?: # time=([\d.]+)ms)?$/i.exec(
      text,
    )
    if (result !== null) {
      this.#result(
        depth,
        indent,
        result[1] === 'ok',
        unescape(result[2] ?? ''),
        result[3],
        result[4],
        result[5],
      )
      return
    }
    // The runner's closing counts and time, and other comments of the root.
    if (indent === 0 && text.startsWith('# ')) {
      this.#closing.push(text)
      return
    }
    if (/^Bail out!/.test(text)) {
      this.push(`${this.#paint(31, text)}\n`)
      return
    }
    // TAP's own lines (version, plans, pragmas, comments of subtests) and blank lines say nothing
    // more; anything else is a test's own output on stdout, shown as it came.
    if (text === '' || /^(TAP version \d+|\d+\.\.\d+|pragma [+-]\w+|#)/.test(text)) return
    this.push(`${line}\n`)
  }

  #result(depth, indent, ok, name, directive, reason, time) {
    // A `not ok` under a SKIP or TODO directive is not a failure (TAP; tap counts it as a todo).
    const failed = !ok && directive === undefined
    // A result at this depth closes the subtest opened there, if it is that subtest's own line.
    const closesSubtest = this.#path.length > depth && this.#path[depth] === name
    const where = [...this.#path.slice(0, depth), name].join(' › ')
    const failedInside = closesSubtest && this.#failedInside[depth] === true
    if (closesSubtest) {
      this.#path.length = depth
      this.#failedInside.length = depth
    }
    if (directive !== undefined) {
      this.#skipsAndTodos.push(
        `  ${directive.toUpperCase()} ${where}${reason.trim() === '' ? '' : ` (${reason.trim()})`}`,
      )
    }
    this.#expectYamlAt = indent + 2
    this.#printYaml = false
    if (depth === 0) {
      const ms = Number(time)
      const took =
        time === undefined ? '' : ms < 1000 ? `  ${Math.round(ms)} ms` : `  ${(ms / 1000).toFixed(1)} s`
      this.push(`${failed ? this.#paint(31, '✖') : this.#paint(32, '✓')} ${name}${took}\n`)
      // A file that failed with no failing test inside it (it crashed, timed out, exited non-zero):
      // tap's diagnostics say how.
      this.#printYaml = failed && !failedInside
    } else if (failed && !failedInside) {
      this.push(`  ${this.#paint(31, '✖')} ${where}\n`)
      this.#printYaml = true
    }
    if (failed) for (let d = 0; d < depth; d++) this.#failedInside[d] = true
  }
}
