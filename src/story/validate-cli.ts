import { join } from 'node:path';
import { DEFAULTS, readEnvFile } from '../config.js';
import { balanceTable, formatBalanceTable } from './balance.js';
import { loadStoryPack, readClaimsFile, reconstructArticle, StoryPackError } from './load.js';
import { lintPack, ourTexts } from './lint.js';

/** `npm run validate-data`: checks a story pack without starting the bot, and shows what the checks saw. */
readEnvFile();
const dir = process.argv[2] ?? process.env.STORY_DIR ?? DEFAULTS.storyDir;
try {
  const pack = loadStoryPack(dir);
  const out = [`${dir}: valid (${pack.story.sections.length} sections, ${pack.stakeholders.length} stakeholders, version ${pack.version})`];
  out.push('', 'Balance of the takes (words of our text per field):', formatBalanceTable(balanceTable(pack.stakeholders)));
  const claims = readClaimsFile(dir, []);
  if (claims === null) {
    // Legal (another story may not declare claims yet), but never quiet: first thing, on stderr, and in the report.
    const warning = `WARNING: ${join(dir, 'claims.json')} is missing, so no sentence was checked for unhedged claims or claims stated as fact (unhedged-claim, claim-as-fact); declare the story's claims there (see data/README.md).`;
    process.stderr.write(`${warning}\n`);
    out.push('', warning);
  } else {
    const lint = lintPack(ourTexts(pack.story, pack.stakeholders, pack.headlinePoll), claims, reconstructArticle(pack.story));
    out.push('', `Claims checked: ${claims.claims.map((c) => `${c.id} (${c.kind})`).join(', ')}.`);
    // Exemptions are listed every time so a reviewer sees each sentence the lint was told to trust.
    out.push(`Sentences exempted by claims.json: ${lint.exempted.length}`);
    for (const { finding, why } of lint.exempted) out.push(`  - ${finding.file} ${finding.field} [${finding.check}${finding.claim ? `: ${finding.claim}` : ''}]: "${finding.sentence}" (why: ${why})`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof StoryPackError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
