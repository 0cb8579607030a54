/** Writing to the client with backpressure, and the OpenAI-shaped mid-stream error event. */
import type { ServerResponse } from 'node:http';

/** Writes `text`; when the socket buffer is full, waits for 'drain' (or close/abort, so it never hangs). */
export async function writeOrWait(res: ServerResponse, text: string, signal: AbortSignal): Promise<void> {
  if (res.write(text) || res.destroyed || signal.aborted) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
    signal.addEventListener('abort', done);
  });
}

/** The `data: {"error":...}` event the OpenAI SDK turns into an APIError after headers were sent. */
export function sseErrorEvent(message: string, code: string, type = 'api_error'): string {
  return `data: ${JSON.stringify({ error: { message, type, param: null, code } })}\n\n`;
}
