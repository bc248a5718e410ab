import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadScenarios } from '../../dist/domain/scenario-files.js'
import { packageRoot, scenariosDir } from '../../dist/paths.js'

const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8')
const scenarioDoc = readFileSync(join(packageRoot, 'docs', 'scenarios.md'), 'utf8')

t.test('the README opens with the two quick-start commands', async (t) => {
  const block = /^# klarna-mock\n\n```sh\n(.*?)\n```/s.exec(readme)?.[1]
  t.same(block?.split('\n'), ['npm install && npm start', 'npm test'])
})

t.test('docs/scenarios.md has a row and a curl line for every shipped scenario', async (t) => {
  for (const name of loadScenarios([scenariosDir]).keys()) {
    t.match(scenarioDoc, new RegExp(`\\| \`${name}\` \\|`), name)
    t.match(scenarioDoc, new RegExp(`Klarna-Mock-Scenario: ${name}'`), `${name} curl line`)
  }
})

t.test('the README fits on a screen or two, and every docs/ link in it leads to a file', async (t) => {
  t.ok(readme.length < 10_000, `README is ${readme.length} characters`)
  for (const [, target] of readme.matchAll(/\]\((docs\/[^)#]+)/g)) {
    t.ok(existsSync(join(packageRoot, target ?? '')), `${target ?? ''} exists`)
  }
})
