import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { DigestService } from './digests/service.js';
import type { Logger } from './logger.js';
import type { PollService } from './polls/service.js';
import type { Store } from './storage/store.js';
import type { StoryPack } from './story/types.js';

/** What every handler receives: no globals, nothing hung on the client. */
export interface Context {
  config: Config;
  logger: Logger;
  pack: StoryPack;
  store: Store;
  clock: Clock;
  digests: DigestService;
  polls: PollService;
}
