/** The `data: {"error":...}` event the OpenAI SDK turns into an APIError after headers were sent. */
export function sseErrorEvent(message: string, code: string, type = 'api_error'): string {
  return `data: ${JSON.stringify({ error: { message, type, param: null, code } })}\n\n`;
}
