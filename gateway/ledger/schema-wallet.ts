/** Wallet (stablecoin top-up) tables. Owned by gateway/wallet. */
import { sqliteTable, integer, text, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

export const chains = sqliteTable('chains', {
  chainId: integer('chain_id').primaryKey(),
  name: text('name').notNull(),
  rpcUrl: text('rpc_url').notNull(),
  treasury: text('treasury').notNull(),
  confirmations: integer('confirmations').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** Last block fully scanned for Transfer logs. */
  cursorBlock: integer('cursor_block'),
  startBlock: integer('start_block'),
  headBlock: integer('head_block'),
  status: text('status').notNull().default('idle'),
  lastError: text('last_error'),
  updatedAt: integer('updated_at').notNull(),
});

export const chainTokens = sqliteTable('chain_tokens', {
  chainId: integer('chain_id').notNull(),
  symbol: text('symbol').notNull(),
  contract: text('contract').notNull(),
  decimals: integer('decimals').notNull(),
}, (t) => [primaryKey({ columns: [t.chainId, t.symbol] })]);

export const linkedWallets = sqliteTable('linked_wallets', {
  address: text('address').primaryKey(),
  accountId: integer('account_id').notNull(),
  verified: integer('verified', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
});

export const deposits = sqliteTable('deposits', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  chainId: integer('chain_id').notNull(),
  txHash: text('tx_hash').notNull(),
  logIndex: integer('log_index').notNull(),
  blockNumber: integer('block_number').notNull(),
  blockHash: text('block_hash').notNull(),
  fromAddress: text('from_address').notNull(),
  tokenSymbol: text('token_symbol').notNull(),
  tokenContract: text('token_contract').notNull(),
  amountRaw: text('amount_raw').notNull(),
  amountMicroUsd: integer('amount_micro_usd').notNull(),
  status: text('status', { enum: ['pending', 'credited', 'unassigned', 'dropped'] }).notNull(),
  accountId: integer('account_id'),
  postingId: integer('posting_id'),
  seenAt: integer('seen_at').notNull(),
  creditedAt: integer('credited_at'),
}, (t) => [uniqueIndex('deposits_unique_idx').on(t.chainId, t.txHash, t.logIndex), index('deposits_status_idx').on(t.status)]);
