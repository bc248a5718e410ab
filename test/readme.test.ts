import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadScenarios } from '../src/domain/scenarios.js'
import { packageRoot, scenariosDir } from '../src/paths.js'

const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8')

t.test('the README opens with the two quick-start commands', async t => {
  const block = /^# klarna-mock\n\n```sh\n(.*?)\n```/s.exec(readme)?.[1]
  t.same(block?.split('\n'), ['npm install && npm start', 'npm test'])
})

t.test('the README has a row and a curl line for every shipped scenario', async t => {
  for (const name of loadScenarios([scenariosDir]).keys()) {
    t.match(readme, new RegExp(`\\| \`${name}\` \\|`), name)
    t.match(readme, new RegExp(`Klarna-Mock-Scenario: ${name}'`), `${name} curl line`)
  }
})
