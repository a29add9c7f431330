/**
 * The child side of `Worker` (procs.ts): answers each `{ id, method, params }` message from the parent with
 * `{ id, result }` or `{ id, error }`, and runs `stop` before exiting on SIGTERM or when the parent goes away.
 */
export function serveCalls(methods: Record<string, (params: never) => unknown>, stop: () => void): void {
  process.on('message', (raw) => {
    const { id, method, params } = raw as { id: number; method: string; params: never };
    const fn = methods[method];
    Promise.resolve()
      .then(() => {
        if (!fn) throw new Error(`unknown method ${method}`);
        return fn(params);
      })
      .then(
        (result) => process.send?.({ id, result }),
        (err: unknown) => process.send?.({ id, error: err instanceof Error ? err.message : String(err) }),
      );
  });
  process.once('SIGTERM', () => {
    stop();
    process.exit(0);
  });
  process.on('disconnect', () => process.exit(0));
}
