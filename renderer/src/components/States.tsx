import type { ReactNode } from 'react';

/** A loading placeholder. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return <div className="state state-loading" role="status" data-testid="loading"><span className="spinner" aria-hidden="true" />{label}</div>;
}

/** An error with a retry button. */
export function ErrorBox({ error, onRetry }: { error: string; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert" data-testid="error">
      <strong>Couldn’t load this.</strong> <span>{error}</span>
      {onRetry && <button type="button" className="btn btn-small" onClick={onRetry}>Try again</button>}
    </div>
  );
}

/** An empty state: what is missing, and what to do about it. */
export function Empty({ title, children, testId = 'empty' }: { title: string; children?: ReactNode; testId?: string }) {
  return <div className="state state-empty" data-testid={testId}><strong>{title}</strong>{children && <div>{children}</div>}</div>;
}
