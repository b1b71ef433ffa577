import type { Command } from '../src/discord/command.js';
import { argue } from './argue.js';
import { digest } from './digest.js';
import { discuss } from './discuss.js';
import { helpCommand } from './help.js';
import { poll } from './poll.js';
import { story } from './story.js';
import { take } from './take.js';
import { verdict } from './verdict.js';

/** The one list of commands, used by both the deploy script and the running bot. */
export const commands: readonly Command[] = [story, take, poll, verdict, argue, discuss, digest, helpCommand(() => commands)];
