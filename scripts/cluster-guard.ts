/**
 * What `npm run cluster` needs of its surroundings: the programs it starts (checked before anything starts),
 * and a watch on the processes that started it, so that a signal reaching only `npm` (a supervisor's
 * `kill $!`) still stops the whole cluster. Linux has no prctl(PR_SET_PDEATHSIG) from Node; /proc is read instead.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A program on PATH (or an absolute path) that can be executed, or undefined. */
export function findProgram(name: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = name.includes('/') ? [name] : path.split(delimiter).map((dir) => join(dir || '.', name));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface Requirement {
  /** What the cluster uses it for, e.g. `nginx`. */
  what: string;
  /** Where it was looked for, for the message. */
  looked: string;
  found: boolean;
  /** The Debian package that provides it. */
  debian: string;
}

/** The message for missing programs, or undefined when nothing is missing. */
export function missingMessage(requirements: readonly Requirement[]): string | undefined {
  const missing = requirements.filter((r) => !r.found);
  if (missing.length === 0) return undefined;
  const lines = missing.map((r) => `  - ${r.what} (looked for ${r.looked})`);
  const packages = [...new Set(missing.map((r) => r.debian))].join(' ');
  return [
    'npm run cluster cannot start; these programs are missing:',
    ...lines,
    `Install them (Debian/Ubuntu): sudo apt-get install ${packages}`,
    'or give an existing Redis and PostgreSQL with REDIS_URL and DATABASE_URL; nothing was started.',
  ].join('\n');
}

/**
 * Field 4 (parent pid) and 22 (start time in clock ticks) of /proc/<pid>/stat; undefined when the process is
 * gone or a zombie (exited, not yet reaped).
 */
function stat(pid: number): { ppid: number; start: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' '); // the name may contain spaces
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return { ppid: Number(fields[1]), start: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** `node …/npm-cli.js …`, or npm after it set its title (`npm run cluster`, one string in /proc/<pid>/cmdline). */
const isNpm = (argv: readonly string[]) => argv.slice(0, 2).some((arg) => /(^|\/)npm(-cli\.js)?( |$)/.test(arg));

/**
 * The processes between this one and the `npm` that ran it, npm included (sh, tsx); just the parent when
 * there is no npm above (run with tsx directly). Each is identified by pid and start time, so a reused pid is
 * not mistaken for it.
 */
export function launchers(): { pid: number; start: string }[] {
  if (!existsSync('/proc/self/stat')) return [];
  const chain: { pid: number; start: string }[] = [];
  let pid = process.ppid;
  while (pid > 1 && chain.length < 8) {
    const info = stat(pid);
    if (!info) break;
    chain.push({ pid, start: info.start });
    if (isNpm(commandLine(pid))) return chain;
    pid = info.ppid;
  }
  return chain.slice(0, 1);
}

/**
 * Calls `onGone` once when any of `watched` has exited (or its pid now names another process): npm was
 * killed without passing the signal on. Polls every `everyMs`; the timer does not keep the process alive.
 */
export function watchLaunchers(
  watched: readonly { pid: number; start: string }[],
  onGone: (pid: number) => void,
  everyMs = 250,
): () => void {
  const timer = setInterval(() => {
    const gone = watched.find(({ pid, start }) => stat(pid)?.start !== start);
    if (!gone) return;
    clearInterval(timer);
    onGone(gone.pid);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
