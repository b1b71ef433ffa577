import { AttachmentBuilder } from 'discord.js';
import { clip } from '../../card.js';
import { UserError } from '../../errors.js';
import { t } from '../../i18n/index.js';
import type { PollExport } from '../../polls/export.js';
import type { Poll } from '../../polls/types.js';
import { inert } from '../../text/inert.js';

/**
 * When the interaction does not say how large an attachment may be (`attachment_size_limit`, which
 * depends on the server's boosts), the smallest limit Discord has had for a server: 8 MiB.
 */
export const FALLBACK_ATTACHMENT_LIMIT = 8 * 1024 * 1024;

/**
 * /poll export: the CSV as a file, with a line saying what is in it. A poll's file is a few KB (10
 * answers, at most ~170 rows), but the limit is checked rather than assumed: a refusal the member
 * can read beats Discord's "Request entity too large".
 */
export function pollExportMessage(poll: Poll, file: PollExport, attachmentLimit: number | null | undefined, locale?: string) {
  const data = Buffer.from(file.csv, 'utf8');
  const limit = attachmentLimit && attachmentLimit > 0 ? attachmentLimit : FALLBACK_ATTACHMENT_LIMIT;
  if (data.length > limit) throw UserError.of('poll.exportTooLarge', { size: data.length, limit });
  const what = t(locale, file.countsShown ? 'poll.exportCounts' : 'poll.exportHidden');
  return {
    content: t(locale, 'poll.exportReady', { question: inert(clip(poll.question, 200)), what }),
    files: [new AttachmentBuilder(data, { name: file.filename, description: t(locale, 'poll.exportDescription', { id: poll.id }) })],
    allowedMentions: { parse: [] },
  };
}
