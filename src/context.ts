import type { ArgumentService } from './arguments/service.js';
import type { Clock } from './clock.js';
import type { DevelopmentService } from './developments/service.js';
import type { DigestService } from './digests/service.js';
import type { Logger } from './logger.js';
import type { PollService } from './polls/service.js';
import type { StoryPack } from './story/types.js';
import type { VerdictService } from './verdict/service.js';

/**
 * What every handler receives: services, never the raw store or the configuration (a handler that
 * needs stored data asks a service; settings it needs become a service's options in bot.ts).
 * No globals, nothing hung on the client.
 */
export interface Context {
  logger: Logger;
  pack: StoryPack;
  clock: Clock;
  digests: DigestService;
  polls: PollService;
  verdict: VerdictService;
  arguments: ArgumentService;
  developments: DevelopmentService;
}
