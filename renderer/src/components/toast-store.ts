/** Transient notices ("Copied", "Key revoked"), shown bottom-right and announced to screen readers. */
import { create } from 'zustand';

interface Toast { id: number; text: string; kind: 'info' | 'error' }
interface ToastState { toasts: Toast[]; show(text: string, kind?: Toast['kind']): void }

let next = 1;

/** The notice store; `show` auto-dismisses after a few seconds. */
export const useToasts = create<ToastState>((set) => ({
  toasts: [],
  show(text, kind = 'info') {
    const id = next++;
    set((s) => ({ toasts: [...s.toasts, { id, text, kind }] }));
    setTimeout(() => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })), 3500);
  },
}));

/** Shows a notice from anywhere (stores included). */
export const toast = (text: string, kind?: Toast['kind']) => useToasts.getState().show(text, kind);
