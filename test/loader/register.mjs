// tap's node-arg (.taprc): the test files are TypeScript, loaded through this module's hooks.
import { register } from 'node:module'

register('./hooks.mjs', import.meta.url)
