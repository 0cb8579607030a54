import { useToasts } from './toast-store';

/** The notice area. */
export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => <div key={t.id} className={`toast toast-${t.kind}`} data-testid="toast">{t.text}</div>)}
    </div>
  );
}
