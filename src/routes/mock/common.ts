import { KlarnaErrorBody } from '../../schemas/common.js'

export const errors = { 400: KlarnaErrorBody, 401: KlarnaErrorBody, 403: KlarnaErrorBody, 404: KlarnaErrorBody }
export const tags = ['Control API (/_mock)']
export const noContent = { 204: { type: 'null' } } as const

/**
 * Whose entries a merchant sees in the journal and the callback list: with a credentials list,
 * only its own; with open auth any username passes anyway, so the lists are shared and the
 * `merchant` filter (if given) applies.
 */
export function visibleTo (credentialsListed: boolean, merchant: string, asked?: string): string | undefined {
  return credentialsListed ? merchant : asked
}
