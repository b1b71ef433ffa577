import { randomBytes } from 'node:crypto';
import { type Page, paged } from '../card.js';
import { type Clock, isoDay } from '../clock.js';
import type { Development, StoryPack } from '../story/types.js';
import { isPlainLink } from '../text/inert.js';
import type { DevelopmentRepository } from './repository.js';
import { byNewest, claimStanding, latestTouching } from './standing.js';
import { type ClaimStanding, type DevelopmentInput, HEADLINE_MAX, SERVER_MAX, type ServerDevelopment, type ShownDevelopment, SOURCE_NAME_MAX, UPDATES_PAGE_SIZE, URL_MAX } from './types.js';

/** A development the service refuses; the command words it for the member. */
export class DevelopmentInputError extends Error {
  override name = 'DevelopmentInputError';
  constructor(readonly reason: 'headline' | 'source' | 'url' | 'linkCharacters' | 'touches' | 'full') {
    super(`development refused: ${reason}`);
  }
}

const HTTPS = /^https:\/\/[^\s/$.?#][^\s]*$/i;

/** The story's developments for a server: the pack's (data/developments.json) and the server's own (stored by DevelopmentRepository). */
export class DevelopmentService {
  constructor(
    private readonly repo: DevelopmentRepository,
    private readonly pack: Pick<StoryPack, 'developments' | 'story' | 'stakeholders'>,
    private readonly clock: Clock,
  ) {}

  /** Every development shown in a server, newest first. */
  async list(guildId: string): Promise<ShownDevelopment[]> {
    const own = (await this.repo.listByGuild(guildId)).map((d): ShownDevelopment => ({ ...d, origin: 'server' }));
    const pack = this.pack.developments.map((d): ShownDevelopment => ({ ...d, origin: 'pack' }));
    return [...pack, ...own].sort(byNewest);
  }

  async page(guildId: string, page: number): Promise<Page<ShownDevelopment>> {
    return paged(await this.list(guildId), page, UPDATES_PAGE_SIZE);
  }

  async standing(guildId: string): Promise<ClaimStanding> {
    return claimStanding(await this.list(guildId), this.clock.now());
  }

  /** The newest development touching a section or a stakeholder (for the "since publication" notes). */
  async touching(guildId: string, touches: { section?: string; stakeholder?: string }): Promise<ShownDevelopment | undefined> {
    return latestTouching(await this.list(guildId), touches);
  }

  /** Adds a server development dated today (UTC). */
  async add(guildId: string, userId: string, input: DevelopmentInput): Promise<ServerDevelopment> {
    const headline = input.headline.trim().replace(/\s+/g, ' ');
    const name = input.sourceName.trim().replace(/\s+/g, ' ');
    const url = input.sourceUrl.trim();
    if (headline === '' || [...headline].length > HEADLINE_MAX) throw new DevelopmentInputError('headline');
    if (name === '' || [...name].length > SOURCE_NAME_MAX) throw new DevelopmentInputError('source');
    const parsed = URL.canParse(url) ? new URL(url) : null;
    if (url.length > URL_MAX || !HTTPS.test(url) || parsed?.protocol !== 'https:' || parsed.hostname === '') throw new DevelopmentInputError('url');
    // Shown in public messages: a link Markdown could turn into something else (a role pill, a masked link) is refused.
    if (!isPlainLink(url)) throw new DevelopmentInputError('linkCharacters');
    const sections = new Set(this.pack.story.sections.map((s) => s.id));
    const stakeholders = new Set(this.pack.stakeholders.map((h) => h.id));
    if (!input.sections.every((id) => sections.has(id)) || !input.stakeholders.every((id) => stakeholders.has(id))) throw new DevelopmentInputError('touches');
    if ((await this.repo.listByGuild(guildId)).length >= SERVER_MAX) throw new DevelopmentInputError('full');
    const now = this.clock.now();
    const development: ServerDevelopment = {
      id: `s-${randomBytes(4).toString('hex')}`,
      date: isoDay(now),
      headline,
      source: { name, url },
      status: input.status,
      sections: [...new Set(input.sections)],
      stakeholders: [...new Set(input.stakeholders)],
      addedBy: userId,
      addedAt: now,
    };
    await this.repo.save(guildId, development);
    return development;
  }

  /** Removes a server development; the pack's cannot be removed. False: no such server development. */
  async remove(guildId: string, id: string): Promise<Development | null> {
    return (await this.repo.remove(guildId, id)) ?? null;
  }
}
