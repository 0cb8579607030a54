/** Terminal output of `gogogo`: one escaping rule for every string a table prints, and the table layout. */

// C0 and C1 controls, DEL, the line/paragraph separators and the bidi overrides and isolates: each can move the
// cursor, clear the screen, end a line or reorder what follows, so a stored string could forge rows or hide text.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\\]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

/**
 * A string made safe for a terminal: control and layout characters become visible escapes (`\x1b`, `\n`,
 * `\u202e`), and a backslash becomes `\\` so an escape in the output always means an escaped character.
 */
export function escapeControl(s: string): string {
  return s.replace(UNSAFE, (c) => NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Left-aligned columns, two spaces apart; every cell is escaped first (stored strings may come from clients). */
export function table(rows: string[][]): string {
  const safe = rows.map((r) => r.map(escapeControl));
  const widths = safe[0].map((_, i) => Math.max(...safe.map((r) => r[i].length)));
  return safe.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
