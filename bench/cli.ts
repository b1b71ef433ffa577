import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

/** The value after `--name` on the command line, if given. */
export const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

/** Whether the module at `url` (its import.meta.url) is the one node was asked to run. */
export const isMainModule = (url: string): boolean => process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;

/** `run` once as a discarded warm-up, then `n` timed calls one after another: their p50, p95 and max, in ms. */
export async function timeCalls(run: () => Promise<unknown>, n: number): Promise<{ p50: number; p95: number; max: number }> {
  await run();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await run();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
  return { p50: at(0.5), p95: at(0.95), max: ms.at(-1)! };
}
