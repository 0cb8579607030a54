/** Live refresh: re-run a loader whenever the core pushes `usage:changed` (while the screen is mounted). */
import { useEffect } from 'react';
import { api } from '../api/api';

/** Calls `refresh` on every `usage:changed` event until unmount. */
export function useLiveRefresh(refresh: () => void): void {
  useEffect(() => api.on('usage:changed', () => refresh()), [refresh]);
}
