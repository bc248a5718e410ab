// Bundles the command-line server into one file, dist/klarna-mock.mjs: the package's `bin`,
// `npm start` and the Docker image run it. Node then reads one file instead of about 700 modules
// (Fastify, TypeBox, Ajv, YAML and the mock's own), which is most of what start-up cost
// (docs/performance.md). The library (`dist/index.js`) stays as tsc compiled it, module by module.
//
// Left out of the bundle, loaded from node_modules as usual: pino (its transport worker is a file of
// its own; not loaded at all with --log-level silent) and the packages loaded only when first needed
// (pino-pretty, qrcode). @fastify/swagger reads its package.json only for defaults the mock sets.
import { readFile } from 'node:fs/promises'
import { writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { build } from 'esbuild'
import { parsedAtBuild } from '../dist/domain/scenario-files.js'
import { scenariosDir } from '../dist/paths.js'

// The shipped scenario files parsed once here rather than at every start (src/domain/scenario-files.ts).
// Written before the bundle: the bundle is the last thing the build writes (test/build-if-stale.mjs).
writeFileSync('dist/scenarios.json', JSON.stringify(parsedAtBuild(scenariosDir)))

// @fastify/swagger-ui serves its static files (Swagger UI itself, its logo) from next to its own
// code (__dirname). Bundled, its __dirname is where the package is installed, found at run time.
const filesNextToTheirCode = {
  name: 'swagger-ui-dirname',
  setup(build) {
    build.onLoad({ filter: /[\\/]@fastify[\\/]swagger-ui[\\/](index|lib[\\/]routes)\.js$/ }, async (args) => {
      const within = /[\\/]lib[\\/]routes\.js$/.test(args.path) ? "'lib'" : "''"
      const dirname =
        "require('node:path').join(require('node:path').dirname(require.resolve('@fastify/swagger-ui/package.json')), " +
        `${within})`
      return { contents: (await readFile(args.path, 'utf8')).replaceAll('__dirname', dirname), loader: 'js' }
    })
  },
}

// dist/typebox.js takes TypeBox's values from its CommonJS build through a require() esbuild cannot
// follow (src/typebox.ts says why). In the bundle it is the ES-module imports, which esbuild inlines.
// The build fails if that module was not met (renamed or moved): the bundle would then read TypeBox
// from node_modules at run time, slower to start.
let typeboxMet = false
const typeboxInlined = {
  name: 'typebox-inlined',
  setup(build) {
    build.onLoad({ filter: /[\\/]dist[\\/]typebox\.js$/ }, (args) => {
      typeboxMet = true
      return {
        contents: [
          "export { Type } from '@sinclair/typebox'",
          "export { Value } from '@sinclair/typebox/value'",
          "export { TypeCompiler } from '@sinclair/typebox/compiler'",
        ].join('\n'),
        resolveDir: dirname(args.path),
        loader: 'js',
      }
    })
  },
}

await build({
  entryPoints: ['dist/server.js'],
  outfile: 'dist/klarna-mock.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['pino', 'pino-pretty', 'qrcode'],
  plugins: [filesNextToTheirCode, typeboxInlined],
  // The bundled CommonJS packages call require(); an ES module has to make one.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  logLevel: 'warning',
})

if (!typeboxMet) {
  throw new Error(
    'scripts/bundle.mjs: dist/typebox.js was not bundled; point the typebox-inlined plugin at its new path',
  )
}
