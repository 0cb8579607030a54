/** A segmented control (radio group) for a few mutually exclusive options. */
export function Segmented<T extends string>({ label, value, options, onChange, testId }: { label: string; value: T; options: Array<[T, string]>; onChange: (v: T) => void; testId?: string }) {
  return (
    <div className="segmented-ctl" role="radiogroup" aria-label={label} data-testid={testId}>
      {options.map(([v, text]) => (
        <button key={v} type="button" role="radio" aria-checked={v === value} className={v === value ? 'active' : ''} onClick={() => onChange(v)} data-testid={testId ? `${testId}-${v}` : undefined}>{text}</button>
      ))}
    </div>
  );
}
