/** The `data: {"error":...}` event the OpenAI SDK turns into an APIError after headers were sent. */
export function sseErrorEvent(message: string, code: string, type = 'api_error'): string {
  return `data: ${JSON.stringify({ error: { message, type, param: null, code } })}\n\n`;
}

/** Anthropic's mid-stream error event (`event: error`), which the Anthropic SDK raises as an APIError. */
export function anthropicErrorEvent(message: string, code: string): string {
  const type = code === 'upstream_timeout' ? 'timeout_error' : 'overloaded_error';
  return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message } })}\n\n`;
}
