export { buildApp } from './app.js'
export type { MockOptions } from './config.js'
