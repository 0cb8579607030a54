import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal on the native <dialog> (showModal): focus is trapped and Escape closes, without extra code.
 * Rendered only while open.
 */
export function Modal({ title, onClose, children, testId, wide = false }: { title: string; onClose: () => void; children: ReactNode; testId?: string; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} className={`modal ${wide ? 'modal-wide' : ''}`} onCancel={(e) => { e.preventDefault(); onClose(); }} data-testid={testId} aria-label={title}>
      <header className="modal-head">
        <h2>{title}</h2>
        <button type="button" className="btn btn-ghost" onClick={onClose} aria-label="Close">✕</button>
      </header>
      <div className="modal-body">{children}</div>
    </dialog>
  );
}

/** A yes/no confirmation for destructive actions. */
export function Confirm({ title, body, confirmLabel, onConfirm, onClose, testId }: { title: string; body: ReactNode; confirmLabel: string; onConfirm: () => void; onClose: () => void; testId?: string }) {
  return (
    <Modal title={title} onClose={onClose} testId={testId}>
      <div className="confirm-body">{body}</div>
      <div className="actions">
        <button type="button" className="btn" onClick={onClose} autoFocus>Cancel</button>
        <button type="button" className="btn btn-danger" onClick={onConfirm} data-testid="confirm-yes">{confirmLabel}</button>
      </div>
    </Modal>
  );
}
