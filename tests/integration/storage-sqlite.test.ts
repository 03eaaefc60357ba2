// @vitest-environment node
/** The embedded SQLite store against the storage contract every store must pass. */
import { openSqliteStorage } from '../../sync-server/storage/sqlite.ts';
import { storageContract } from '../storage/contract.ts';
import { removeDir, tempDir } from '../../harness/server.ts';

storageContract('sqlite', async () => {
  const dir = tempDir();
  return { open: () => openSqliteStorage(dir), cleanup: () => removeDir(dir) };
});
