import type { ReactNode } from 'react';

/** A labelled figure on a card. */
export function Stat({ label, value, hint, testId }: { label: string; value: ReactNode; hint?: ReactNode; testId?: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId}>{value}</div>
      {hint && <div className="stat-hint">{hint}</div>}
    </div>
  );
}
