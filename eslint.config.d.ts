// Types for the test that imports the layer rules from eslint.config.js (plain JS, so ESLint loads it on Node 20).
import type { Linter } from 'eslint';

export declare const layers: Linter.Config;
declare const config: Linter.Config[];
export default config;
