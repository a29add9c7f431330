import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The directories tempDataDir made since the last removeTempDataDirs. */
const made: string[] = [];

/** A fresh directory under the system's temp directory, removed when the test file is done (test/file-setup.ts). */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chat-test-'));
  made.push(dir);
  return dir;
}

/**
 * Removes every directory tempDataDir made. Many tests hand one to a server process or a store they never close,
 * and each run used to leave a dozen behind.
 */
export function removeTempDataDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
