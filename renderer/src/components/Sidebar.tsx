import { SCREENS, type ScreenId } from '../routes';

/** Left navigation: links (keyboard reachable, Back/Forward aware). */
export function Sidebar({ current }: { current: ScreenId }) {
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand"><span className="brand-mark" aria-hidden="true">➜</span> gogogoapi</div>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <ul>
        {SCREENS.map((s) => (
          <li key={s.id}>
            <a href={`#/${s.id}`} className={s.id === current ? 'active' : ''} aria-current={s.id === current ? 'page' : undefined} data-testid={`nav-${s.id}`}>
              <span className="nav-icon" aria-hidden="true">{s.icon}</span>{s.label}
            </a>
          </li>
        ))}
      </ul>
      <div className="sidebar-foot">Local gateway · OpenAI-compatible</div>
    </nav>
  );
}
