import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { type CommandDefinition, RUN } from '../../src/discord/command.js';
import { subcommandsOf } from '../../src/discord/options.js';
import { loadStoryPack } from '../../src/story/load.js';

const pack = loadStoryPack('data');
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface Option {
  name: string;
  description: string;
  required?: boolean;
  choices?: Array<{ name: string; value: string | number }>;
  options?: Option[];
}

/** Checks Discord's registration rules recursively and returns the text that counts towards 8000. */
function check(where: string, options: Option[] | undefined): number {
  const list = options ?? [];
  expect(list.length, `${where}: options`).toBeLessThanOrEqual(25);
  const firstOptional = list.findIndex((o) => !o.required);
  if (firstOptional !== -1) expect(list.slice(firstOptional).some((o) => o.required), `${where}: required after optional`).toBe(false);
  return list.reduce((n, o) => {
    expect(o.name, where).toMatch(NAME);
    expect(o.name, where).toBe(o.name.toLowerCase());
    expect(o.description.length, `${where} ${o.name}`).toBeGreaterThan(0);
    expect(o.description.length, `${where} ${o.name}`).toBeLessThanOrEqual(100);
    expect((o.choices ?? []).length).toBeLessThanOrEqual(25);
    const choices = (o.choices ?? []).reduce((c, ch) => c + ch.name.length + String(ch.value).length, 0);
    return n + o.name.length + o.description.length + choices + check(`${where} ${o.name}`, o.options);
  }, 0);
}

describe('command definitions', () => {
  const definitions: CommandDefinition[] = commands.map((c) => c.definition(pack));

  it.each(definitions.map((d) => [d.name, d] as const))('/%s follows Discord\'s registration rules', (_name, d) => {
    const total = d.name.length + d.description.length + check(d.name, d.options as Option[] | undefined);
    expect(total).toBeLessThanOrEqual(8000);
    expect(d.name).toMatch(NAME);
    expect(d.contexts).toEqual([0]);
  });

  it('have unique names, each handled by exactly one module', () => {
    expect(new Set(definitions.map((d) => d.name)).size).toBe(definitions.length);
    expect(commands.map((c) => c.name)).toEqual(definitions.map((d) => d.name));
  });

  it.each(commands.map((c) => [c.name, c] as const))('/%s has one handler per subcommand and none besides', (_name, c) => {
    const subs = subcommandsOf(c.definition(pack)).map((s) => s.name);
    expect(Object.keys(c.handlers).sort()).toEqual((subs.length > 0 ? subs : [RUN]).sort());
  });
});
