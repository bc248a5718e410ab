import { randomUUID } from 'node:crypto'

/** Klarna's ids (session, authorization token, customer token, order) are UUIDs. */
export const newId = (): string => randomUUID()
