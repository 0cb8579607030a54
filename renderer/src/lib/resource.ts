/** The load/refresh/error pattern every screen store shares. */
import { ApiError } from '../api/api';

/** A loaded value with its loading and error state. */
export interface Loaded<T> { data: T | null; loading: boolean; error: string | null }

export const initial = { data: null, loading: false, error: null };

/** The message to show for a thrown error (ApiError keeps the core's message; anything else is generic). */
export function messageOf(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Something went wrong talking to the gateway.';
}

/**
 * Runs a loader into a Loaded<T> slot. `silent` refreshes (live events) keep the current data on screen
 * and do not flash a spinner.
 */
export async function loadInto<T>(set: (p: Partial<Loaded<T>>) => void, loader: () => Promise<T>, silent = false): Promise<void> {
  if (!silent) set({ loading: true, error: null });
  try {
    set({ data: await loader(), loading: false, error: null });
  } catch (err) {
    set({ loading: false, error: messageOf(err) });
  }
}
