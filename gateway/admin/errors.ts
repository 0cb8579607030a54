/** Errors raised by the admin service itself (unknown id, bad setting). Messages are safe to show. */
export class AdminError extends Error {
  constructor(readonly code: 'not_found' | 'invalid' | 'unavailable', message: string) {
    super(message);
    this.name = 'AdminError';
  }
}

/** Error classes whose `code` and message are meant for the operator; anything else is an internal error. */
const SAFE_ERRORS = new Set(['AdminError', 'LedgerError', 'BillingError', 'WalletError', 'SecretStoreError']);

/** True for an error whose message is meant for the operator (the window, the CLI): one list for both. */
export function isOperatorError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && SAFE_ERRORS.has(err.name) && typeof (err as { code?: unknown }).code === 'string';
}

/** Maps a thrown error to the contract's failure shape, never leaking a stack or an internal message. */
export function toFailure(err: unknown, log: (e: unknown) => void = console.error): { ok: false; code: string; message: string } {
  const e = err as { name?: unknown; code?: unknown; message?: unknown } | null;
  if (isOperatorError(err)) return { ok: false, code: err.code, message: String(e?.message) };
  log(err);
  return { ok: false, code: 'internal', message: 'the gateway hit an internal error; see its log' };
}
