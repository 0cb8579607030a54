import type { AccountView } from '../../../gateway/admin/contract';
import { useAccounts } from './accounts-store';
import { Empty, ErrorBox, Loading } from '../components/States';
import { formatUsd } from '../lib/money';
import { formatTime } from '../lib/format';

/** An account's journal lines, newest first, with "older" paging. */
export function JournalPanel({ account }: { account: AccountView }) {
  const journal = useAccounts((s) => s.journal);
  const more = useAccounts((s) => s.loadMoreJournal);
  return (
    <div className="card" data-testid="journal">
      <h2>Journal · {account.name}</h2>
      {journal.error ? <ErrorBox error={journal.error} /> : journal.loading && journal.entries.length === 0 ? <Loading /> : journal.entries.length === 0 ? (
        <Empty title="No postings yet">Credits, usage charges and adjustments appear here.</Empty>
      ) : (
        <>
          <table className="table table-compact">
            <thead><tr><th>When</th><th>Kind</th><th>Note</th><th className="num">Amount</th></tr></thead>
            <tbody>
              {journal.entries.map((e) => (
                <tr key={e.lineId} data-testid="journal-row">
                  <td className="nowrap">{formatTime(e.createdAt)}</td>
                  <td><span className={`pill pill-${e.kind}`}>{e.kind}</span></td>
                  <td className="ellipsis" title={e.note ?? ''}>{e.note ?? ''}</td>
                  <td className={`num ${e.amountMicroUsd < 0 ? 'neg' : 'pos'}`}>{e.amountMicroUsd > 0 ? '+' : ''}{formatUsd(e.amountMicroUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {journal.next != null && <button type="button" className="btn btn-small" onClick={() => more()}>Older entries</button>}
        </>
      )}
    </div>
  );
}
