/** Cheap, unique-enough ids for fake providers. */
import { randomUUID } from 'node:crypto';

/** A generator of `len` hex characters: a random prefix and a counter (the fake answers thousands a second). */
export function counterId(len: number, prefix = ''): () => string {
  const head = randomUUID().replace(/-/g, '').slice(0, len - 12);
  let n = 0;
  return () => prefix + head + (n++).toString(16).padStart(12, '0');
}

/** OpenAI-style `chatcmpl-…` completion ids. */
export const chatcmplId = counterId(32, 'chatcmpl-');
