import { ApplicationCommandOptionType as Opt, type APIApplicationCommand } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { parseLine, staticSuggestions, typedOptions } from '../playground/composer.js';

const command = (name: string, options: unknown[]): APIApplicationCommand => ({ id: '1', application_id: '1', version: '1', type: 1, name, description: `${name}!`, default_member_permissions: null, options } as unknown as APIApplicationCommand);
const COMMANDS = [
  command('poll', [
    { type: Opt.Subcommand, name: 'start', description: 'start', options: [{ type: Opt.String, name: 'question', description: 'q' }, { type: Opt.String, name: 'answers', description: 'a' }, { type: Opt.Boolean, name: 'hide_results', description: 'h' }, { type: Opt.Integer, name: 'max_choices', description: 'm' }] },
    { type: Opt.Subcommand, name: 'results', description: 'results', options: [{ type: Opt.String, name: 'poll', description: 'p', required: true, autocomplete: true }] },
  ]),
  command('digest', [{ type: Opt.Subcommand, name: 'set', description: 'set', options: [{ type: Opt.Channel, name: 'channel', description: 'c', required: true }, { type: Opt.String, name: 'length', description: 'l', choices: [{ name: 'Short', value: 'short' }, { name: 'Long', value: 'long' }] }] }]),
];
const names = { channel: (n: string) => (n === 'news' ? '42' : undefined), user: () => undefined, role: () => undefined };
const lists = { channels: ['general', 'news'], users: [], roles: [] };

describe('the playground composer', () => {
  it('reads a whole command line: subcommand, values with spaces up to the next option, typed values', () => {
    const parsed = parseLine('/poll start question:Is it fair? answers:Yes, No hide_results:true max_choices:2', COMMANDS);
    expect(parsed).toMatchObject({ name: 'poll', subcommand: 'start', pending: '' });
    expect(typedOptions(parsed, names)).toEqual({ question: 'Is it fair?', answers: 'Yes, No', hide_results: true, max_choices: 2 });
    expect(typedOptions(parseLine('/digest set channel:#news length:Long', COMMANDS), names)).toEqual({ channel: '42', length: 'long' });
    expect(parseLine('/poll start', COMMANDS).subcommand).toBe('start');
    expect(parseLine('/poll start colour:red', COMMANDS).pending).toBe('colour:red');
  });

  it('suggests commands, subcommands, option names, choices and channels; autocomplete is left to the bot', () => {
    expect(staticSuggestions('/p', COMMANDS, lists)).toEqual([{ label: '/poll', description: 'poll!', line: '/poll ' }]);
    expect(staticSuggestions('/poll ', COMMANDS, lists)?.map((s) => s.line)).toEqual(['/poll start ', '/poll results ']);
    expect(staticSuggestions('/poll start', COMMANDS, lists)?.map((s) => s.label)).toEqual(['start']);
    expect(staticSuggestions('/poll start question:Why? ', COMMANDS, lists)?.map((s) => s.label)).toEqual(['answers:', 'hide_results:', 'max_choices:']);
    expect(staticSuggestions('/digest set channel:ne', COMMANDS, lists)).toEqual([{ label: '#news', line: '/digest set channel:#news ' }]);
    expect(staticSuggestions('/digest set channel:#news length:', COMMANDS, lists)?.map((s) => s.line)).toEqual(['/digest set channel:#news length:Short ', '/digest set channel:#news length:Long ']);
    expect(staticSuggestions('/poll results poll:ab', COMMANDS, lists)).toBeUndefined();
    expect(staticSuggestions('hello', COMMANDS, lists)).toEqual([]);
  });
});
