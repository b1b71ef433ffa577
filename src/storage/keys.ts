/**
 * Every collection's name and key shape, in one place. Keys are hierarchical (yuudachi style),
 * so a prefix lists one guild's or one poll's entries with one range query.
 */
export const COLLECTIONS = {
  /** `guild:<g>:poll:<p>` → Poll */
  polls: 'polls',
  /**
   * `poll:<p>:user:<u>` → the member's ballot: an answer index, or the sorted indexes picked on a
   * multiple-choice poll (-1: retracted); and beside it `poll:<p>:cast:<u>` → when that member last
   * voted (epoch ms; absent for votes stored before cast times were kept)
   */
  votes: 'votes',
  /** `<p>` → guild id, so a poll id from another server is told apart from an unknown one */
  pollOwners: 'pollOwners',
  /** `guild:<g>:poll:<p>` → createdAt of each open poll */
  openPolls: 'openPolls',
  /** `guild:<g>` → ids of the newest closed polls */
  recentPolls: 'recentPolls',
  /** `guild:<g>:channel:<c>` → DigestSettings, one per schedule (a record from before schedules per channel: `guild:<g>`) */
  digests: 'digests',
  /** `guild:<g>:user:<u>` → the member's stance on the headline question (answer index; -1: retracted) */
  verdictStances: 'verdictStances',
  /** `guild:<g>:user:<u>:<at>:<n>` → one change of the member's stance (their history; reduced to daily counts when old) */
  verdictHistory: 'verdictHistory',
  /** `guild:<g>:user:<u>` → the member's stance before and after reading the story */
  verdictReadings: 'verdictReadings',
  /** `guild:<g>:user:<u>` → which reading questions /story has asked the member (before, after), so each is asked once */
  verdictPrompts: 'verdictPrompts',
  /** `guild:<g>:day:<YYYY-MM-DD>` → that day's snapshot of the distribution, or a record that it is missing */
  verdictSnapshots: 'verdictSnapshots',
  /** `guild:<g>:day:<YYYY-MM-DD>` → anonymous counts a day's old history was reduced to */
  verdictDays: 'verdictDays',
  /** `guild:<g>` → when the server's verdict began and its last snapshot day */
  verdictGuilds: 'verdictGuilds',
  /** `guild:<g>:argument:<a>` → Argument (src/arguments) */
  arguments: 'arguments',
  /** `guild:<g>:argument:<a>:user:<u>` → 1 while the member upvotes the argument, 0 once they withdrew it */
  argumentVotes: 'argumentVotes',
  /** `guild:<g>:argument:<a>:user:<u>` → when the member reported the argument (epoch ms) */
  argumentReports: 'argumentReports',
  /** `guild:<g>:text:<sha-256 of the normalized text>` → the id of the argument with that text (claimed once) */
  argumentTexts: 'argumentTexts',
  /** `guild:<g>:development:<d>` → a server's own development (src/developments) */
  developments: 'developments',
  /** `anonymousSecret` → the install's secret (hex) that keys the ids a forgotten member's closed-poll ballots are kept under (src/polls/repository.ts) */
  meta: 'meta',
} as const;

/** The meta key of the secret behind anonymous ballot ids: written once (compare-and-set), never changed. */
export const ANONYMOUS_SECRET_KEY = 'anonymousSecret';

export const guildKey = (guildId: string): string => `guild:${guildId}`;
/** Prefix of every digest schedule of one guild; a schedule's key is this plus its channel id. */
export const guildDigestsPrefix = (guildId: string): string => `${guildKey(guildId)}:channel:`;
/** Prefix of every key of one guild's polls (and open-poll index entries). */
export const guildPollsPrefix = (guildId: string): string => `${guildKey(guildId)}:poll:`;
export const pollKey = (guildId: string, pollId: string): string => `${guildPollsPrefix(guildId)}${pollId}`;
/** Prefix of every vote of one poll; a vote's key is this plus the member's id. */
export const votePrefix = (pollId: string): string => `poll:${pollId}:user:`;
/** Prefix of the cast times of one poll's votes; an entry's key is this plus the member's id. */
export const castPrefix = (pollId: string): string => `poll:${pollId}:cast:`;
/** Prefix of every key of one guild's verdict records in a verdict collection. */
export const guildUsersPrefix = (guildId: string): string => `${guildKey(guildId)}:user:`;
export const memberKey = (guildId: string, userId: string): string => `${guildUsersPrefix(guildId)}${userId}`;
export const guildDaysPrefix = (guildId: string): string => `${guildKey(guildId)}:day:`;
export const dayKey = (guildId: string, day: string): string => `${guildDaysPrefix(guildId)}${day}`;
/** Prefix of every argument of one guild (and, in the vote and report collections, of their votes and reports). */
export const guildArgumentsPrefix = (guildId: string): string => `${guildKey(guildId)}:argument:`;
export const argumentKey = (guildId: string, argumentId: string): string => `${guildArgumentsPrefix(guildId)}${argumentId}`;
export const argumentMemberKey = (guildId: string, argumentId: string, userId: string): string => `${argumentKey(guildId, argumentId)}:user:${userId}`;
export const argumentTextKey = (guildId: string, hash: string): string => `${guildKey(guildId)}:text:${hash}`;
/** Prefix of every development of one guild; a development's key is this plus its id. */
export const guildDevelopmentsPrefix = (guildId: string): string => `${guildKey(guildId)}:development:`;
export const developmentKey = (guildId: string, developmentId: string): string => `${guildDevelopmentsPrefix(guildId)}${developmentId}`;
