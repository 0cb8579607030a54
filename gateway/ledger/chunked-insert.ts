/** Multi-row INSERTs for the ledger's batches (settlement.ts, hold-book.ts). */
import type Database from 'better-sqlite3';
import type { Sqlite } from './db';

/**
 * A multi-row INSERT run in chunks of fixed sizes, so a handful of prepared statements serve every batch size.
 * `rows` is flat: `width` values per row.
 */
export class ChunkedInsert {
  private readonly statements = new Map<number, Database.Statement>();
  private static readonly SIZES = [64, 16, 4, 1];

  constructor(private readonly sqlite: Sqlite, private readonly head: string, private readonly width: number, private readonly tail = '') {}

  private statement(n: number): Database.Statement {
    let s = this.statements.get(n);
    if (!s) {
      const row = `(${new Array(this.width).fill('?').join(', ')})`;
      s = this.sqlite.prepare(`${this.head} VALUES ${new Array(n).fill(row).join(', ')} ${this.tail}`);
      this.statements.set(n, s);
    }
    return s;
  }

  /** Inserts the rows; returns the RETURNING rows when the statement has a tail that returns. */
  run(rows: unknown[]): unknown[] {
    const out: unknown[] = [];
    let at = 0;
    let left = rows.length / this.width;
    for (const size of ChunkedInsert.SIZES) {
      while (left >= size) {
        const s = this.statement(size);
        const args = rows.slice(at, at + size * this.width);
        if (s.reader) out.push(...s.all(args)); else s.run(args);
        at += size * this.width;
        left -= size;
      }
    }
    return out;
  }
}
