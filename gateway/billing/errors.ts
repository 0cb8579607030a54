/** Errors raised by billing. Transports map `code` to their own shapes; messages are safe to show. */
export class BillingError extends Error {
  constructor(readonly code: 'invalid_amount' | 'invalid_catalog' | 'invalid_price' | 'invalid_usage' | 'invalid_model' | 'invalid_fx' | 'not_found' | 'overflow', message: string) {
    super(message);
    this.name = 'BillingError';
  }
}
