import { defineConfig } from 'drizzle-kit';

export default defineConfig({ dialect: 'sqlite', schema: './gateway/ledger/schema.ts', out: './resources/migrations' });
