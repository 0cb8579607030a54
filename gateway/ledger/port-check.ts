/**
 * Compile-time check that the SQLite Ledger implements the ledger port as it is (no runtime code). Its synchronous
 * answers are `Sync<T>` answers; `releaseOrphanHolds(isAlive?)` takes an optional process-liveness test, which the
 * port does not pass. What the SQLite side lacks of the fleet and unit-of-work parts: gateway/ledger/pg/README.md.
 */
import type { Ledger } from './ledger';
import type { LedgerPort } from './port';

type Implements<T, Port> = T extends Port ? true : never;
export const sqliteLedgerImplementsPort: Implements<Ledger, LedgerPort> = true;
