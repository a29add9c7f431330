import { afterAll } from 'vitest';
import { dropFileDatabases } from './databases.js';

// The postgres project's setup file: the databases a test file's servers used are dropped when the file is done
// (between its tests they are emptied and reused, test/pg/databases.ts).
afterAll(dropFileDatabases);
