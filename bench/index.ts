/**
 * Prints vote-path figures on the default SQLite store (`npx tsx bench/index.ts`). It asserts
 * nothing: the machine is shared, so read the figures as ratios between sizes.
 */
import { benchVotes, type BenchResult } from './votes.js';

const SIZES = [1_000, 10_000, 100_000];
const f = (n: number, digits = 1) => n.toFixed(digits).padStart(8);

// A discarded first run, so the first measured size does not pay for JIT warm-up alone.
await benchVotes({ voters: 1_000 });
const results: BenchResult[] = [];
for (const voters of SIZES) results.push(await benchVotes({ voters }));

console.log(`Node ${process.version}, SQLite journal_mode=${results[0]?.journalMode ?? '?'}; latency = castVote call → ack, in ms\n`);
console.log('  voters | load ms | burst votes/s  ms/vote   p50      p99      max | paced 2k/s  p50      p99      max | 1-at-a-time ms: new  change | onChange | exact');
for (const r of results) {
  console.log(
    `${String(r.voters).padStart(8)} |${f(r.loadMs, 0)} |${f(r.burst.votesPerSec, 0)}${f(r.burst.msPerVote, 3)}${f(r.burst.latency.p50)}${f(r.burst.latency.p99)}${f(r.burst.latency.max)} |${f(r.paced.achievedPerSec, 0)}${f(r.paced.latency.p50)}${f(r.paced.latency.p99)}${f(r.paced.latency.max)} |${f(r.sequential.newMsPerVote, 3).padStart(21)}${f(r.sequential.changeMsPerVote, 3)} |${String(r.onChangeCalls).padStart(9)} | ${r.consistent ? 'yes' : 'NO'}`,
  );
}
const first = results[0];
const last = results.at(-1);
if (first && last) {
  console.log(`\ntime per vote, ${last.voters} vs ${first.voters} voters: burst ×${(last.burst.msPerVote / first.burst.msPerVote).toFixed(2)}, one-at-a-time new ×${(last.sequential.newMsPerVote / first.sequential.newMsPerVote).toFixed(2)}, change ×${(last.sequential.changeMsPerVote / first.sequential.changeMsPerVote).toFixed(2)} (target ≤ 1.5)`);
  console.log(`burst: ${first.burst.inFlight} votes in flight at once (closed loop); paced: ${first.paced.rate} votes/s arriving steadily (open loop)`);
}
