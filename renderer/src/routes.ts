/** The window's screens, in sidebar order. The route is the URL fragment (#/keys), so Back works. */
export const SCREENS = [
  { id: 'overview', label: 'Overview', icon: '◉' },
  { id: 'keys', label: 'Keys', icon: '◇' },
  { id: 'accounts', label: 'Accounts & credits', icon: '$' },
  { id: 'usage', label: 'Usage', icon: '▤' },
  { id: 'requests', label: 'Requests', icon: '≣' },
  { id: 'wallet', label: 'Wallet', icon: '◈' },
  { id: 'statements', label: 'Statements', icon: '▦' },
  { id: 'audit', label: 'Audit trail', icon: '☰' },
  { id: 'settings', label: 'Settings', icon: '⚙' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];

/** The screen named by the current fragment, defaulting to Overview. */
export function currentScreen(): ScreenId {
  const id = location.hash.replace(/^#\/?/, '').split(/[?&]/)[0];
  return (SCREENS.find((s) => s.id === id)?.id ?? 'overview') as ScreenId;
}
