import { readFileSync, writeFileSync } from 'node:fs';
import { withFieldTables } from './schema-doc.js';

/** `npm run docs:data`: rewrites the field tables in data/README.md from src/story/schema.ts. */
const path = process.argv[2] ?? 'data/README.md';
const before = readFileSync(path, 'utf8');
const after = withFieldTables(before);
if (after !== before) writeFileSync(path, after);
process.stdout.write(`${path}: ${after === before ? 'already up to date' : 'field tables rewritten'}\n`);
