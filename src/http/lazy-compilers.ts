import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

/**
 * Fastify's own compilers (the same Ajv and fast-json-stringify, the same options), made lazy: a
 * route's validator and serializers are compiled the first time the route is called instead of
 * at start-up, where compiling every route's schemas took about half of the time to the first
 * answer. A route never called costs nothing; the first call of each pays a few milliseconds once.
 * test/docs.test.ts calls every route, so a schema that does not compile still fails the tests.
 */

type Validate = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown }
type Serialize = (data: unknown) => string
type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>

export function lazyCompilers(): CompilersFactory {
  const validators = AjvCompiler()
  const serializers = SerializerSelector()
  return {
    buildValidator: (...factoryArgs: Parameters<typeof validators>) => {
      const compile = validators(...factoryArgs)
      return (routeSchema: Parameters<typeof compile>[0]): Validate => {
        let validate: Validate | undefined
        const lazy: Validate = (data, context) => {
          validate ??= compile(routeSchema) as unknown as Validate
          const valid = validate(data, context)
          lazy.errors = validate.errors
          return valid
        }
        // Fastify hands an Ajv function (one with schemaEnv) its parent, so that it may replace the root.
        lazy.schemaEnv = true
        return lazy
      }
    },
    buildSerializer: (...factoryArgs: Parameters<typeof serializers>) => {
      const compile = serializers(...factoryArgs)
      return (routeSchema: Parameters<typeof compile>[0]): Serialize => {
        let serialize: Serialize | undefined
        return (data) => {
          serialize ??= compile(routeSchema) as Serialize
          return serialize(data)
        }
      }
    },
  } as unknown as CompilersFactory
}
