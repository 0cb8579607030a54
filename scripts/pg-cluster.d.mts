/** Types for scripts/pg-cluster.mjs (used by the PostgreSQL tests' helper, test/helpers/pg.ts). */
export interface PgCluster { url: string; port: number; dir: string; stop(): Promise<void> }
export declare function pgBinDir(): string;
export declare function startPgCluster(opts?: { durable?: boolean }): Promise<PgCluster>;
