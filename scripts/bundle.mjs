// Bundles the command-line server into one file, dist/klarna-mock.mjs: the package's `bin`,
// `npm start` and the Docker image run it. Node then reads one file instead of about 700 modules
// (Fastify, TypeBox, Ajv, YAML and the mock's own), which is most of what start-up cost
// (docs/performance.md). The library (`dist/index.js`) stays as tsc compiled it, module by module.
//
// Left out of the bundle, loaded from node_modules as usual: packages that find their own files
// next to their code at run time (pino's transport worker, Swagger UI's static files, @fastify/swagger's
// package.json) and the ones loaded only when first needed (pino-pretty, qrcode).
import { writeFileSync } from 'node:fs'
import { build } from 'esbuild'
import { parsedAtBuild } from '../dist/domain/scenario-files.js'
import { scenariosDir } from '../dist/paths.js'

// The shipped scenario files parsed once here rather than at every start (src/domain/scenario-files.ts).
// Written before the bundle: the bundle is the last thing the build writes (test/build-if-stale.mjs).
writeFileSync('dist/scenarios.json', JSON.stringify(parsedAtBuild(scenariosDir)))

await build({
  entryPoints: ['dist/server.js'],
  outfile: 'dist/klarna-mock.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['pino', 'pino-pretty', '@fastify/swagger', '@fastify/swagger-ui', 'qrcode'],
  // The bundled CommonJS packages call require(); an ES module has to make one.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  logLevel: 'warning',
})
