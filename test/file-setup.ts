import { afterAll } from 'vitest';
import { removeTempDataDirs } from './temp-dirs.js';

// Every project's setup file: a test file's temporary data directories are removed when it is done. Registered
// before the file's own hooks, this runs after them (vitest runs after-hooks as a stack), so its servers have stopped.
afterAll(removeTempDataDirs);
