import { useState } from 'react';
import type { CreatedKey } from '../../../gateway/admin/contract';
import { CopyButton } from '../components/CopyButton';
import { Modal } from '../components/Modal';
import { buildSnippets } from './snippets';

/** Shows a new key's secret exactly once, with copy buttons and setup snippets for common clients. */
export function KeyCreatedDialog({ created, onClose }: { created: CreatedKey; onClose: () => void }) {
  const snippets = buildSnippets(created.baseUrl, created.secret, created.model ?? 'deepseek-chat');
  const [tab, setTab] = useState(snippets[0].id);
  const current = snippets.find((s) => s.id === tab) ?? snippets[0];
  return (
    <Modal title="Your new key" onClose={onClose} testId="key-created" wide>
      <p className="warn-box" role="note"><strong>Copy it now.</strong> This is the only time the secret is shown; the gateway keeps just a hash.</p>
      <div className="secret-row">
        <code className="secret" data-testid="key-secret">{created.secret}</code>
        <CopyButton text={created.secret} label="Copy key" testId="copy-secret" className="btn-primary" />
      </div>
      <div className="url-row">
        <span className="url-label">Base URL</span><code data-testid="created-base-url">{created.baseUrl}</code><CopyButton text={created.baseUrl} />
      </div>
      <h3>Set up a client</h3>
      <div className="tabs" role="tablist" aria-label="Client">
        {snippets.map((s) => (
          <button key={s.id} type="button" role="tab" aria-selected={s.id === tab} className={`tab ${s.id === tab ? 'active' : ''}`} onClick={() => setTab(s.id)} data-testid={`snippet-tab-${s.id}`}>{s.label}</button>
        ))}
      </div>
      <div className="snippet" role="tabpanel">
        <CopyButton text={current.code} className="snippet-copy" testId="copy-snippet" />
        <pre data-testid={`snippet-${current.id}`}><code>{current.code}</code></pre>
      </div>
      <div className="actions"><button type="button" className="btn btn-primary" onClick={onClose} data-testid="key-created-done">I’ve saved it</button></div>
    </Modal>
  );
}
