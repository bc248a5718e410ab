// Lint: neostandard (the rules the Fastify team's demo app uses) with TypeScript, its style rules
// left to Prettier (`noStyle`, the combination neostandard documents), plus a line-length limit
// that Prettier cannot enforce on strings and comments. `npm run lint`; `npm test` runs it first.
import neostandard, { resolveIgnoresFromGitignore } from 'neostandard'
import stylistic from '@stylistic/eslint-plugin'
import globals from 'globals'

export default [
  ...neostandard({
    ts: true,
    noStyle: true,
    ignores: [...resolveIgnoresFromGitignore(), 'dist/**', 'coverage/**', '.tap/**', 'screenshots/**'],
  }),
  {
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/max-len': [
        'error',
        {
          code: 120,
          ignoreUrls: true,
          ignoreRegExpLiterals: true,
          // A message or a raw HTTP request stays one greppable string rather than a concatenation.
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
        },
      ],
      // TypeBox's idiom: `const Token = Type.Object(…)` and `type Token = Static<typeof Token>`
      // share a name on purpose; TypeScript itself refuses real redeclarations.
      '@typescript-eslint/no-redeclare': 'off',
      // `void promise` marks a promise deliberately not awaited.
      'no-void': ['error', { allowAsStatement: true }],
    },
  },
  {
    // The SDK stand-in and the dashboard run in the browser.
    files: ['assets/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['test/**', 'bench/**', 'examples/**'],
    rules: {
      // Tests spell Klarna's and the clients' ${placeholder} templates as plain strings.
      'no-template-curly-in-string': 'off',
    },
  },
]
