import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { layers } from './eslint.config.js';
const variants: any[] = [
  { module: { origin: 'external', source: 'discord.js' } },
  { module: { source: 'discord.js' } },
  { module: { origin: 'external' } },
];
for (const to of variants) {
  const l = structuredClone({ ...layers, plugins: undefined });
  (l as any).plugins = layers.plugins;
  (l.rules as any)['boundaries/dependencies'][1].policies = [{ from: { element: { type: 'polls' } }, disallow: { to } }];
  const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, l] });
  const [r] = await eslint.lintText("import { EmbedBuilder } from 'discord.js';\nexport const e = EmbedBuilder;\n", { filePath: 'src/polls/fixture.ts' });
  console.log(JSON.stringify(to), r.messages.map((m) => m.message));
}
