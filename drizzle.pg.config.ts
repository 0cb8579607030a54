import { defineConfig } from 'drizzle-kit';

// The PostgreSQL dialect's migrations (`npx drizzle-kit generate --config drizzle.pg.config.ts`); SQLite's are drizzle.config.ts.
export default defineConfig({ dialect: 'postgresql', schema: './gateway/ledger/pg/schema.ts', out: './resources/migrations-pg' });
