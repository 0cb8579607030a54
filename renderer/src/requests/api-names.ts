/** The client protocols a request can arrive in, as the Requests screen names them. */
export const API_NAMES = [['chat', 'Chat Completions'], ['messages', 'Anthropic Messages'], ['responses', 'Responses']] as const;

export function apiLabel(api: string): string {
  return API_NAMES.find(([v]) => v === api)?.[1] ?? api;
}
