/** Errors raised by the ledger. Transports map `code` to their own shapes; messages are safe to show. */
export class LedgerError extends Error {
  constructor(readonly code: 'not_found' | 'conflict' | 'invalid' | 'migration_failed' | 'unbalanced' | 'overflow', message: string) {
    super(message);
    this.name = 'LedgerError';
  }
}
