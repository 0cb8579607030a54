/** Claude Code's per-request system block (`x-anthropic-billing-header: …cch=<nonce>;`): forwarded, it defeats every prefix cache. */
const BILLING_HEADER = 'x-anthropic-billing-header:';

export function isBillingHeaderText(text: string): boolean {
  return text.startsWith(BILLING_HEADER);
}

export function isBillingHeaderBlock(block: unknown): boolean {
  return typeof block === 'object' && block !== null && typeof (block as { text?: unknown }).text === 'string' && isBillingHeaderText((block as { text: string }).text);
}
