import { describe, expect, it, vi } from 'vitest';
import { FALLBACK_ATTACHMENT_LIMIT, pollExportMessage } from '../../src/discord/messages/poll-export.js';
import { createLogger } from '../../src/logger.js';
import { csvField, spreadsheetSafe, toCsv } from '../../src/polls/csv.js';
import { exportPoll, standingsOverTime, timelineTimes } from '../../src/polls/export.js';
import { StorePollRepository } from '../../src/polls/repository.js';
import { PollService } from '../../src/polls/service.js';
import type { CastVote, Poll } from '../../src/polls/types.js';
import { openStore } from '../../src/storage/store.js';
import { parseCsv, section, valueOf } from '../helpers/csv.js';
import { FakeClock } from '../helpers/fake-clock.js';

const H = 3_600_000;
const START = Date.UTC(2026, 5, 10, 9, 30); // 09:30 UTC

function poll(over: Partial<Poll> = {}): Poll {
  return {
    id: 'a1b2c3d4', guildId: '111111111111111111', channelId: '222222222222222222', messageId: null, creatorId: '333333333333333333',
    question: 'Tea or coffee?', answers: [{ label: 'Tea', emoji: null }, { label: 'Coffee', emoji: null }, { label: 'Neither', emoji: null }],
    headline: false, createdAt: START, closesAt: START + 24 * H, hideResults: false, allowChange: true, voterRoleId: null,
    status: 'open', closedAt: null, closedBy: null, resultsPosted: false, ...over,
  };
}
const vote = (answer: number, at: number | null): CastVote => ({ answers: [answer], at });

describe('CSV cells', () => {
  it('quotes per RFC 4180: commas, quotes and line breaks, quotes doubled', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(42)).toBe('42');
  });

  it('neutralises text a spreadsheet would run as a formula, and only that', () => {
    for (const evil of ['=HYPERLINK("http://x.invalid","click")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(spreadsheetSafe(evil)).toBe(`'${evil}`);
    for (const fine of ['Tea', 'a=b', ' =1', "'quoted", '1+1', '']) expect(spreadsheetSafe(fine)).toBe(fine);
    // Made safe first, then quoted: the apostrophe ends up inside the quotes.
    expect(csvField('=1,2')).toBe('"\'=1,2"');
    expect(csvField(-1)).toBe('-1'); // numbers we write are not member text
  });

  it('writes equal-width CRLF records after a byte order mark, which a strict reader takes back', () => {
    const csv = toCsv([['a', 'b, c'], [], ['"x"', 1, 2]]);
    expect(csv).toBe('\uFEFFa,"b, c",\r\n,,\r\n"""x""",1,2\r\n');
    expect(parseCsv(csv)).toEqual([['a', 'b, c', ''], ['', '', ''], ['"x"', '1', '2']]);
  });
});

describe('standings over time', () => {
  it('gives a row at the start, at every whole UTC hour, and at the end', () => {
    const times = timelineTimes(START, START + 3 * H);
    expect(times.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['09:30', '10:00', '11:00', '12:00', '12:30']);
    expect(timelineTimes(START, START)).toEqual([START]);
  });

  it('gives a row per UTC day for a poll that ran longer than three days', () => {
    const times = timelineTimes(START, START + 5 * 24 * H);
    expect(times).toHaveLength(7);
    expect(times.slice(1, -1).every((t) => t % (24 * H) === 0)).toBe(true);
    expect(timelineTimes(START, START + 72 * H)).toHaveLength(74); // three days: still hourly
  });

  it('counts each vote from when it was cast, a vote without a time from the start, and ends on the final count', () => {
    const votes = [vote(0, START + 10 * 60_000), vote(1, START + 40 * 60_000), vote(0, START + 100 * 60_000), vote(2, null), vote(1, START + 3 * H + 5)];
    const rows = standingsOverTime(poll(), votes, timelineTimes(START, START + 2 * H));
    expect(rows.map((r) => r.counts)).toEqual([
      [0, 0, 1], // 09:30: only the vote without a time
      [1, 0, 1], // 10:00
      [1, 1, 1], // 11:00
      [2, 2, 1], // 11:30, the end: a vote stamped after it (another process's clock) counts at the end
    ]);
  });

  it('counts a multiple-choice ballot once as a voter and once for each answer picked', () => {
    const ballots: CastVote[] = [{ answers: [0, 2], at: START + 10 * 60_000 }, { answers: [2], at: START + 40 * 60_000 }, { answers: [0, 9], at: START }];
    const rows = standingsOverTime(poll({ maxChoices: 2 }), ballots, timelineTimes(START, START + H));
    expect(rows.map((r) => [r.voters, ...r.counts])).toEqual([[0, 0, 0, 0], [1, 1, 0, 1], [2, 1, 0, 2]]); // 09:30, 10:00, 10:30
    const file = parseCsv(exportPoll(poll({ maxChoices: 2 }), ballots, START + H).csv);
    expect(valueOf(file, 'Voters')).toBe('2');
    // Of voters, as the poll shows it: Neither was picked by both.
    expect(section(file, 'Answer').map((r) => r.slice(0, 3))).toEqual([['Answer', 'Votes', 'Percent'], ['Tea', '1', '50'], ['Coffee', '0', '0'], ['Neither', '2', '100']]);
  });

  it('ignores votes for answers the poll does not have', () => {
    const rows = standingsOverTime(poll(), [vote(7, START), vote(-1, START), vote(1, START)], [START]);
    expect(rows[0]!.counts).toEqual([0, 1, 0]);
  });
});

describe('a poll as CSV', () => {
  const voters = [vote(0, START + 5 * 60_000), vote(0, START + 70 * 60_000), vote(1, START + 80 * 60_000), vote(2, START + 150 * 60_000)];

  it('has the question, the answers with counts and percentages, and the standings per hour', () => {
    const file = exportPoll(poll(), voters, START + 3 * H);
    expect(file.filename).toBe('poll-a1b2c3d4.csv');
    const rows = parseCsv(file.csv);
    expect(valueOf(rows, 'Poll')).toBe('#a1b2c3d4');
    expect(valueOf(rows, 'Question')).toBe('Tea or coffee?');
    expect(valueOf(rows, 'Status')).toBe('Open');
    expect(valueOf(rows, 'Started (UTC)')).toBe('2026-06-10 09:30:00');
    expect(valueOf(rows, 'Voters')).toBe('4');
    expect(section(rows, 'Answer').map((r) => r.slice(0, 3))).toEqual([['Answer', 'Votes', 'Percent'], ['Tea', '2', '50'], ['Coffee', '1', '25'], ['Neither', '1', '25']]);
    expect(section(rows, 'Time (UTC)').map((r) => r.slice(0, 5))).toEqual([
      ['Time (UTC)', 'Voters', 'Tea', 'Coffee', 'Neither'],
      ['2026-06-10 09:30:00', '0', '0', '0', '0'],
      ['2026-06-10 10:00:00', '1', '1', '0', '0'],
      ['2026-06-10 11:00:00', '3', '2', '1', '0'],
      ['2026-06-10 12:00:00', '4', '2', '1', '1'],
      ['2026-06-10 12:30:00', '4', '2', '1', '1'],
    ]);
  });

  it('ends a closed poll at its close, not at the export', () => {
    const closed = poll({ status: 'closed', closedAt: START + 2 * H, closedBy: 'member' });
    const rows = parseCsv(exportPoll(closed, voters.slice(0, 3), START + 30 * H).csv);
    expect(valueOf(rows, 'Status')).toBe('Closed');
    expect(valueOf(rows, 'Closed (UTC)')).toBe('2026-06-10 11:30:00');
    expect(section(rows, 'Time (UTC)').at(-1)?.slice(0, 2)).toEqual(['2026-06-10 11:30:00', '3']);
  });

  it('makes member text safe in a spreadsheet and keeps it intact otherwise', () => {
    const evil = poll({ question: '=IMPORTXML("http://x.invalid", "//a")', answers: [{ label: '@cmd|"/c calc"!A1', emoji: null }, { label: '-1, or "two"', emoji: null }] });
    const file = exportPoll(evil, [vote(0, START)], START + H);
    const rows = parseCsv(file.csv);
    expect(valueOf(rows, 'Question')).toBe('\'=IMPORTXML("http://x.invalid", "//a")');
    expect(section(rows, 'Answer').slice(1).map((r) => r[0])).toEqual(['\'@cmd|"/c calc"!A1', '\'-1, or "two"']);
    expect(section(rows, 'Time (UTC)')[0]!.slice(2, 4)).toEqual(['\'@cmd|"/c calc"!A1', '\'-1, or "two"']);
    // No cell a spreadsheet would evaluate: every one starting with a formula character is member text, neutralised.
    expect(rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
  });

  it('never holds a member id: not the voters\' (it never gets them), not the creator\'s, not the channel\'s', () => {
    const repoVotes = [vote(0, START)];
    const csv = exportPoll(poll(), repoVotes, START + H).csv;
    for (const id of ['333333333333333333', '222222222222222222', '111111111111111111']) expect(csv).not.toContain(id);
    expect(csv).not.toMatch(/\d{17,20}/);
  });

  it('says so when votes from before cast times count from the start', () => {
    expect(parseCsv(exportPoll(poll(), [vote(0, null)], START + H).csv).flat().join(' ')).toMatch(/count from the poll's start/);
    expect(parseCsv(exportPoll(poll(), [vote(0, START)], START + H).csv).flat().join(' ')).not.toMatch(/count from the poll's start/);
  });

  describe('with results hidden', () => {
    it('while it runs: no count per answer, neither now nor over time; only the voter count its message shows too', () => {
      const file = exportPoll(poll({ hideResults: true }), voters, START + 3 * H);
      expect(file.countsShown).toBe(false);
      const rows = parseCsv(file.csv);
      expect(valueOf(rows, 'Voters')).toBe('4');
      expect(section(rows, 'Answer').slice(1).map((r) => r.filter(Boolean))).toEqual([['Tea'], ['Coffee'], ['Neither']]);
      const over = section(rows, 'Time (UTC)');
      expect(over[0]!.filter(Boolean)).toEqual(['Time (UTC)', 'Voters']);
      expect(over.slice(1).map((r) => r.filter(Boolean).length)).toEqual(over.slice(1).map(() => 2));
      expect(rows.flat().join(' ')).toMatch(/hidden until the poll closes/);
    });

    it('once its deadline has passed: the final counts, but only the number of voters over time', () => {
      const rows = parseCsv(exportPoll(poll({ hideResults: true }), voters, START + 25 * H).csv);
      expect(valueOf(rows, 'Status')).toBe('Closed');
      expect(section(rows, 'Answer').slice(1).map((r) => r.slice(0, 2))).toEqual([['Tea', '2'], ['Coffee', '1'], ['Neither', '1']]);
      expect(section(rows, 'Time (UTC)')[0]!.filter(Boolean)).toEqual(['Time (UTC)', 'Voters']);
    });
  });
});

describe('the export message', () => {
  const file = exportPoll(poll(), [], START);
  it('attaches the CSV under the poll\'s name', () => {
    const message = pollExportMessage(poll(), file, 10 * 1024 * 1024);
    expect(message.files[0]!.name).toBe('poll-a1b2c3d4.csv');
    expect(message.content).toMatch(/never says who voted/);
  });

  it('refuses, in words, a file larger than the interaction allows; without a limit it assumes 8 MiB', () => {
    const size = Buffer.byteLength(file.csv);
    expect(() => pollExportMessage(poll(), file, size - 1)).toThrow(/larger than Discord lets me attach/);
    expect(() => pollExportMessage(poll(), file, size)).not.toThrow();
    const huge = { ...file, csv: 'x'.repeat(FALLBACK_ATTACHMENT_LIMIT + 1) };
    expect(() => pollExportMessage(poll(), huge, undefined)).toThrow(/larger/);
    expect(() => pollExportMessage(poll(), huge, 25 * 1024 * 1024)).not.toThrow();
  });
});

describe('stored cast times', () => {
  it('are kept beside each vote, not in it, so votes still read as answer indexes', async () => {
    const store = openStore('memory:', createLogger('silent'));
    const repo = new StorePollRepository(store);
    await repo.setVote('p1', 'u1', 0, START + 1000);
    await repo.setVote('p1', 'u2', 1, START + 2000);
    await repo.setVote('p1', 'u1', 2, START + 3000); // changed: counts from the change
    await repo.deleteVote('p1', 'u2');
    expect(await repo.castVotes('p1')).toEqual([{ answers: [2], at: START + 3000 }]);
    expect(await store.collection<number>('votes').get('poll:p1:user:u1')).toBe(2);
    expect([...(await repo.votesOf('p1'))]).toEqual([['u1', 2]]);
    await store.close();
  });

  it('are null for a vote stored before they were kept', async () => {
    const store = openStore('memory:', createLogger('silent'));
    await store.collection<number>('votes').set('poll:p1:user:old', 1); // as an earlier version wrote it
    expect(await new StorePollRepository(store).castVotes('p1')).toEqual([{ answers: [1], at: null }]);
    await store.close();
  });
});

describe('PollService.export', () => {
  it('stamps votes with the service clock, and members exporting at once share one read of the store', async () => {
    const clock = new FakeClock(START);
    const store = openStore('memory:', createLogger('silent'));
    const repo = new StorePollRepository(store);
    const service = new PollService({ repo, clock, logger: createLogger('silent'), onChange: () => undefined, onClose: () => undefined });
    const made = await service.create({ question: 'Tea or coffee?', answers: 'Tea, Coffee' }, { guildId: '111111111111111111', channelId: '222222222222222222', creatorId: '333333333333333333' });
    clock.advance(45 * 60_000);
    await service.vote(made.guildId, made.id, 'u1', 1, []);
    clock.advance(60 * 60_000);
    const reads = vi.spyOn(repo, 'castVotes');
    const [a, b] = await Promise.all([service.export(made), service.export(made)]);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(a.csv).toBe(b.csv);
    expect(section(parseCsv(a.csv), 'Time (UTC)').map((r) => r.slice(0, 4))).toEqual([
      ['Time (UTC)', 'Voters', 'Tea', 'Coffee'],
      ['2026-06-10 09:30:00', '0', '0', '0'],
      ['2026-06-10 10:00:00', '0', '0', '0'],
      ['2026-06-10 11:00:00', '1', '0', '1'], // cast at 10:15
      ['2026-06-10 11:15:00', '1', '0', '1'],
    ]);
    await service.export(made);
    expect(reads).toHaveBeenCalledTimes(2); // shared only while in flight, never stale
    await service.stop();
    await store.close();
  });
});
