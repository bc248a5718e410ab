export interface Shop {
  url: string
  sessions: Array<{ session_id: string; client_token: string }>
  results: Array<{ status: number; body: Record<string, unknown> }>
  close: () => Promise<void>
}
export function startShop(options: { klarna: string; username?: string; password?: string }): Promise<Shop>
