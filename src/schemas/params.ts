import { Type } from '../typebox.js'

const Id = Type.String({ minLength: 1, maxLength: 255 })
export const SessionParams = Type.Object({ session_id: Id })
export const AuthorizationParams = Type.Object({ authorizationToken: Id })
export const TokenParams = Type.Object({ customerToken: Id })
