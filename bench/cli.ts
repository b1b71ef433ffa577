import { pathToFileURL } from 'node:url';

/** The value after `--name` on the command line, if given. */
export const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

/** Whether the module at `url` (its import.meta.url) is the one node was asked to run. */
export const isMainModule = (url: string): boolean => process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;
