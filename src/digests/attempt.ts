import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { composeDigest } from './compose.js';
import { recordFailed, recordSent } from './delivery.js';
import { DeliveryError, type DigestSender, type DigestSettings } from './types.js';

/** A change to a schedule's stored record, applied with compare-and-set (see DigestRepository.update); null leaves it. */
export type RecordChange = (current: DigestSettings | undefined) => DigestSettings | null;

type AttemptDeps = Parameters<typeof composeDigest>[0] & {
  clock: Clock;
  sender: DigestSender;
  onDelivered?: (outcome: 'sent' | 'failed', latenessMs: number) => void;
};

/**
 * The day's digest under a claim this process holds (`settings` as claimed): sends it, or, when
 * the claim resumes an interrupted attempt, first looks for the message that attempt posted.
 * Resolves to the change that records the outcome: sent, or the day given up with the reason.
 */
export async function attemptDay(deps: AttemptDeps, settings: DigestSettings, resumed: boolean, run: { day: string; due: number }, log: Logger): Promise<RecordChange> {
  const { day, due } = run;
  const nonce = settings.sending?.nonce ?? '';
  let warning: string | undefined;
  try {
    const { content, standings } = await composeDigest(deps, settings.guildId, settings);
    const snapshot = standings ? { pollId: standings.pollId, counts: standings.counts } : null;
    if (resumed && (await deps.sender.findPosted(settings, nonce))) {
      log.info({ channelId: settings.channelId, nonce }, 'digest was already posted by an interrupted attempt; not posting again');
    } else {
      warning = (await deps.sender.send(settings, content, nonce)) ?? undefined;
      log.info({ channelId: settings.channelId, daysSent: settings.daysSent + 1 }, 'digest sent');
      // Posted is posted: a failed follow-up (publishing) is reported, never a reason to post again.
      if (warning) log.warn({ channelId: settings.channelId, warning }, 'digest sent, but a follow-up step failed');
      deps.onDelivered?.('sent', deps.clock.now() - due);
    }
    const sentAt = deps.clock.now();
    return (current) => recordSent(current, day, sentAt, snapshot, warning);
  } catch (error) {
    // Any failure gives the day up: the next try is tomorrow's time, so a broken channel never loops.
    const reason = error instanceof DeliveryError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    const failedAt = deps.clock.now();
    deps.onDelivered?.('failed', failedAt - due);
    log.warn({ err: error, channelId: settings.channelId, reason }, "digest failed; will retry at the next day's time");
    return (current) => recordFailed(current, day, failedAt, reason);
  }
}
