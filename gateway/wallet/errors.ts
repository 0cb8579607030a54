/** Errors raised by the wallet module. Transports map `code` to their own shapes; messages are safe to show. */
export type WalletErrorCode =
  | 'invalid' | 'not_found' | 'conflict' | 'not_configured' | 'rpc_error'
  | 'tx_failed' | 'not_confirmed' | 'wrong_recipient' | 'unknown_token' | 'invalid_proof' | 'refused';

/** One error type for gateway/wallet, carrying a stable machine-readable code. */
export class WalletError extends Error {
  constructor(readonly code: WalletErrorCode, message: string) {
    super(message);
    this.name = 'WalletError';
  }
}
