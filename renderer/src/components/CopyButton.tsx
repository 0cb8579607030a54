import { useState } from 'react';
import { toast } from './toast-store';

/** Copies text to the clipboard, with a fallback for non-secure contexts; says "Copied" briefly. */
export function CopyButton({ text, label = 'Copy', testId, className = '' }: { text: string; label?: string; testId?: string; className?: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const ta = document.createElement('textarea');
      ta.value = text;
      document.body.appendChild(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
    setDone(true);
    toast('Copied to clipboard');
    setTimeout(() => setDone(false), 1500);
  };
  return (
    <button type="button" className={`btn btn-small ${className}`} onClick={copy} data-testid={testId} aria-label={`${label}: ${text.length > 40 ? text.slice(0, 40) + '…' : text}`}>
      {done ? '✓ Copied' : label}
    </button>
  );
}
