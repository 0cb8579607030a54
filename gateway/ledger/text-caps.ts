/**
 * Caps on the text a request row stores. Most of it is chosen by the client (the model name) or by an upstream
 * (error messages, its request id, the model it says it served): without a cap one request could write a megabyte
 * into the log and its indexes. Strings under their cap are returned as they are (no copy on the hot path).
 */

/** The longest model name stored (also the longest a client may usefully send: no real model id comes near it). */
export const MAX_MODEL_CHARS = 256;
/** Upstream request ids, provider ids, statuses. */
export const MAX_ID_CHARS = 256;
/** Error messages. */
export const MAX_ERROR_CHARS = 2000;

/**
 * The rollup model of requests refused before a model was resolved (unknown model, shutting down, over the key's
 * concurrency): one shared key, so garbage model names never add a rollup row each.
 */
export const UNRESOLVED_MODEL = '(unresolved)';

/** `s` cut to at most `max` characters, the cut marked with '…'. */
export function capText(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  // Never split a surrogate pair (it would be stored as U+FFFD).
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return s.slice(0, end) + '…';
}

/** capText for optional columns. */
export function capOptional(s: string | null | undefined, max: number): string | null {
  return s == null ? null : capText(s, max);
}
