import { DEFAULTS, readEnvFile } from '../config.js';
import { loadStoryPack, StoryPackError } from './load.js';

/** `npm run validate-data`: checks a story pack without starting the bot. */
readEnvFile();
const dir = process.argv[2] ?? process.env.STORY_DIR ?? DEFAULTS.storyDir;
try {
  const pack = loadStoryPack(dir);
  process.stdout.write(`${dir}: valid (${pack.story.sections.length} sections, ${pack.stakeholders.length} stakeholders, version ${pack.version})\n`);
} catch (error) {
  process.stderr.write(`${error instanceof StoryPackError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
