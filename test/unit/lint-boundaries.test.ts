import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layers } from '../../eslint.config.js';

/**
 * Proves the import policies of eslint.config.js fire: each case lints a few lines as if they were a
 * file at that path (nothing is written), with the project's own `layers` block. The type-aware
 * rules are left out here; they need the file on disk and are not what this test is about.
 */
const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, layers] });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('the layer rules in eslint.config.js', () => {
  it.each(['src/story', 'src/polls', 'src/digests', 'src/arguments', 'src/developments'])('reject discord.js in %s', async (folder) => {
    const errors = await boundaryErrors(`${folder}/fixture.ts`, "import { EmbedBuilder } from 'discord.js';\nexport const e = new EmbedBuilder();\n");
    expect(errors).toEqual([expect.stringMatching(/^boundaries\/dependencies: .*never imports discord\.js/)]);
  });

  it('reject @discordjs/* and the custom_id codec in a domain', async () => {
    expect(await boundaryErrors('src/polls/fixture.ts', "import { REST } from '@discordjs/rest';\nexport const r = REST;\n")).toHaveLength(1);
    expect(await boundaryErrors('src/polls/fixture.ts', "import { decodeCustomId } from '../discord/custom-id.js';\nexport const d = decodeCustomId;\n")).toEqual([
      expect.stringMatching(/never imports src\/discord\//),
    ]);
  });

  it("reject a domain importing another domain's internals", async () => {
    expect(await boundaryErrors('src/polls/fixture.ts', "import type { PollStandings } from '../digests/types.js';\nexport type P = PollStandings;\n")).toEqual([
      expect.stringMatching(/src\/polls never imports src\/digests/),
    ]);
    expect(await boundaryErrors('src/digests/fixture.ts', "import { PollService } from '../polls/service.js';\nexport const s = PollService;\n")).toEqual([
      expect.stringMatching(/src\/digests reads src\/polls\/types\.ts only/),
    ]);
    expect(await boundaryErrors('src/digests/fixture.ts', "import { lintPack } from '../story/lint.js';\nexport const l = lintPack;\n")).toEqual([
      expect.stringMatching(/through src\/story\/index\.ts or src\/story\/types\.ts only/),
    ]);
  });

  it('keep arguments and developments apart from the other domains; the digest may read their types only', async () => {
    expect(await boundaryErrors('src/arguments/fixture.ts', "import { VerdictService } from '../verdict/service.js';\nexport const v = VerdictService;\n")).toEqual([expect.stringMatching(/src\/arguments never imports/)]);
    expect(await boundaryErrors('src/developments/fixture.ts', "import type { Side } from '../arguments/types.js';\nexport type S = Side;\n")).toEqual([expect.stringMatching(/src\/developments never imports/)]);
    expect(await boundaryErrors('src/digests/fixture.ts', "import { ArgumentService } from '../arguments/service.js';\nexport const a = ArgumentService;\n")).toEqual([expect.stringMatching(/src\/digests reads src\/arguments\/types\.ts only/)]);
    expect(await boundaryErrors('src/digests/fixture.ts', "import type { RankedArgument } from '../arguments/types.js';\nimport type { ClaimStanding } from '../developments/types.js';\nexport type X = [RankedArgument, ClaimStanding];\n")).toEqual([]);
  });

  it('keep src/charts apart: it reads no domain, and no domain draws a chart (the digest gets its chart through VerdictSource)', async () => {
    expect(await boundaryErrors('src/charts/fixture.ts', "import type { StoryPack } from '../story/types.js';\nexport type S = StoryPack;\n")).toEqual([expect.stringMatching(/src\/charts never imports/)]);
    for (const domain of ['story', 'polls', 'digests', 'verdict', 'arguments', 'developments']) {
      expect(await boundaryErrors(`src/${domain}/fixture.ts`, "import type { Chart } from '../charts/types.js';\nexport type T = Chart;\n"), domain).toEqual([expect.stringMatching(new RegExp(`src/${domain} never imports .*src/charts`))]);
    }
  });

  it('reject a domain importing the app wiring', async () => {
    expect(await boundaryErrors('src/story/fixture.ts', "import type { Context } from '../context.js';\nexport type C = Context;\n")).toEqual([expect.stringMatching(/never imports src\/discord\/, commands\/ or the app wiring/)]);
  });

  it('reject storage importing a domain', async () => {
    expect(await boundaryErrors('src/storage/fixture.ts', "import type { Poll } from '../polls/types.js';\nexport type P = Poll;\n")).toEqual([expect.stringMatching(/src\/storage knows no domain/)]);
  });

  it('keep src/i18n a leaf that every layer may read', async () => {
    expect(await boundaryErrors('src/i18n/fixture.ts', "import type { Poll } from '../polls/types.js';\nexport type P = Poll;\n")).toEqual([expect.stringMatching(/src\/i18n holds strings/)]);
    expect(await boundaryErrors('src/i18n/fixture.ts', "import { Locale } from 'discord.js';\nexport const l = Locale;\n")).toEqual([expect.stringMatching(/src\/i18n holds strings/)]);
    expect(await boundaryErrors('src/polls/fixture.ts', "import { commandStrings } from '../i18n/commands.js';\nexport const c = commandStrings;\n")).toEqual([]);
  });

  it('allow what the layers allow', async () => {
    expect(await boundaryErrors('src/polls/fixture.ts', "import type { HeadlinePoll } from '../story/types.js';\nimport { UserError } from '../errors.js';\nimport type { Store } from '../storage/store.js';\nexport type X = [HeadlinePoll, Store, UserError];\n")).toEqual([]);
    expect(await boundaryErrors('src/digests/fixture.ts', "import type { PollStandings } from '../polls/types.js';\nimport { MINUTE } from '../constants.js';\nexport type X = [PollStandings, typeof MINUTE];\n")).toEqual([]);
    expect(await boundaryErrors('commands/fixture.ts', "import { EmbedBuilder } from 'discord.js';\nimport { lintPack } from '../src/story/lint.js';\nexport const x = [EmbedBuilder, lintPack];\n")).toEqual([]);
    expect(await boundaryErrors('src/discord/fixture.ts', "import { EmbedBuilder } from 'discord.js';\nexport const x = EmbedBuilder;\n")).toEqual([]);
  });
});
