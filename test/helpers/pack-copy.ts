import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStoryPack, StoryPackError } from '../../src/story/load.js';

/** A scratch copy of the story pack in data/, to break one file of and load. */
export interface PackCopy {
  dir: string;
  /** Rewrites one JSON file of the copy through `change`. */
  edit<T>(file: string, change: (json: T) => void): void;
  /** The loader's problems with the copy; [] when it loads. */
  problems(): string[];
  remove(): void;
}

export function copyPack(from = 'data'): PackCopy {
  const dir = mkdtempSync(join(tmpdir(), 'tamasha-pack-'));
  cpSync(from, dir, { recursive: true, filter: (src) => !src.endsWith('.sqlite') });
  return {
    dir,
    edit<T>(file: string, change: (json: T) => void) {
      const path = join(dir, file);
      const json = JSON.parse(readFileSync(path, 'utf8')) as T;
      change(json);
      writeFileSync(path, JSON.stringify(json));
    },
    problems() {
      try {
        loadStoryPack(dir);
      } catch (error) {
        if (error instanceof StoryPackError) return error.problems;
        throw error;
      }
      return [];
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
