import { Transform } from 'node:stream'

/** npm test's reporter (test/reporter.mjs): TAP in, a short report out. */
export default class Quiet extends Transform {}
