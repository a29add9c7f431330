import { afterEach } from 'vitest';
import { resetPage } from './harness.js';

// The web-unit project's setup file, run for every file: a worker keeps the modules it has loaded from one file
// to the next, so a hook registered when harness.ts is first imported would run for that file only.
afterEach(resetPage);
