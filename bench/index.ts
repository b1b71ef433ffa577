/**
 * `npm run bench`: prints the vote-path, end-to-end vote and digest fan-out figures, each with what it
 * times (from where to where). It asserts nothing: the machine is shared, so read the figures as
 * ratios. Flags: `--servers 10000` for the large fan-out (default 2,000), `--only votes`,
 * `--paced-seconds 10` for a longer steady phase, `--only journey`, `--only fanout`, `--only scale`, `--only shards`, `--only startup`, `--only charts` or `--only autocomplete` to run one part
 * (`autocomplete`: /poll autocomplete and the digest headline lookup on a server with 1,000 closed polls;
 * `shards`: start-up and memory per shard process, at `--servers` servers, default 5,000; `startup`:
 * `npm start` under tsx against the compiled build, after `npm run build`); `--database-url postgres://…`
 * (or TEST_DATABASE_URL) adds PostgreSQL to the votes table, beside SQLite, and runs `scale`: the digest
 * fan-out from 1 and 4 real shard processes on PostgreSQL through one REST proxy (`--processes 1,4`,
 * `--lead 75`: seconds from their spawn to the digest minute); `--voters 1000,10000` picks the sizes.
 */
import { benchScale, printScale, type ScaleResult } from './scale.js';
import { benchAutocomplete, printAutocomplete } from './autocomplete-history.js';
import { benchCharts, printCharts } from './charts.js';
import { benchShards, printShards } from './shards.js';
import { benchStartup, printStartup } from './startup.js';
import { benchFanout, printFanoutLegend, printTable } from './fanout.js';
import { benchVoteJourney, printVoteJourney } from './vote-journey.js';
import { benchVotes, type BenchResult } from './votes.js';
import { arg } from './cli.js';

const only = arg('only');
const servers = Number(arg('servers') ?? 2_000);
if (!Number.isInteger(servers) || servers < 1) throw new Error(`--servers must be a positive integer, got ${arg('servers')}`);

const f = (n: number, digits = 1) => n.toFixed(digits).padStart(8);

const databaseUrl = arg('database-url') ?? (process.env.TEST_DATABASE_URL?.trim() || undefined);
const sizes = (arg('voters') ?? '1000,10000,100000').split(',').map(Number);
// The steady phase lasts 1 s by default; one store hiccup (a checkpoint, autovacuum on a fresh table)
// is then over 1% of its votes and becomes the p99. `--paced-seconds 10` measures the steady state.
const pacedSeconds = Number(arg('paced-seconds') ?? 1);
if (!(pacedSeconds > 0)) throw new Error(`--paced-seconds must be a number above 0, got ${arg('paced-seconds')}`);
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--voters must be positive integers separated by commas, got ${arg('voters')}`);

if (only === undefined || only === 'votes') {
  const stores: Array<[string, string | undefined]> = [['sqlite', undefined], ...(databaseUrl ? [['postgres', databaseUrl] as [string, string]] : [])];
  console.log(`## Votes, in process: castVote called → vote stored → acknowledgement callback called, on ${stores.map(([name]) => name).join(' and ')} (no Discord, no discord.js)\n`);
  const results: Array<[string, BenchResult]> = [];
  for (const [name, url] of stores) {
    // A discarded first run, so the first measured size does not pay for JIT warm-up alone.
    await benchVotes({ voters: 1_000, databaseUrl: url });
    for (const voters of sizes) results.push([name, await benchVotes({ voters, databaseUrl: url, pacedVotes: Math.round(2_000 * pacedSeconds) })]);
  }
  console.log(`Node ${process.version}; ${[...new Set(results.map(([name, r]) => `${name}: ${r.journalMode}`))].join(', ')}; every latency is castVote called → its acknowledgement callback called, in ms\n`);
  console.log('   store   voters | load ms | burst votes/s  ms/vote   p50      p99      max | paced 2k/s  p50      p99      max | 1-at-a-time ms: new  change | onChange | exact');
  for (const [name, r] of results) {
    console.log(
      `${name.padStart(8)}${String(r.voters).padStart(9)} |${f(r.loadMs, 0)} |${f(r.burst.votesPerSec, 0)}${f(r.burst.msPerVote, 3)}${f(r.burst.latency.p50)}${f(r.burst.latency.p99)}${f(r.burst.latency.max)} |${f(r.paced.achievedPerSec, 0)}${f(r.paced.latency.p50)}${f(r.paced.latency.p99)}${f(r.paced.latency.max)} |${f(r.sequential.newMsPerVote, 3).padStart(21)}${f(r.sequential.changeMsPerVote, 3)} |${String(r.onChangeCalls).padStart(9)} | ${r.consistent ? 'yes' : 'NO'}`,
    );
  }
  console.log('');
  for (const [store] of stores) {
    const runs = results.filter(([name]) => name === store).map(([, r]) => r);
    const [first, last] = [runs[0], runs.at(-1)];
    if (!first || !last) continue;
    console.log(`${store}: time per vote, ${last.voters} vs ${first.voters} voters: burst ×${(last.burst.msPerVote / first.burst.msPerVote).toFixed(2)}, one-at-a-time new ×${(last.sequential.newMsPerVote / first.sequential.newMsPerVote).toFixed(2)}, change ×${(last.sequential.changeMsPerVote / first.sequential.changeMsPerVote).toFixed(2)} (target ≤ 1.5)`);
  }
  {
    const first = results[0]?.[1];
    if (first) console.log(`burst: ${first.burst.inFlight} votes in flight at once (closed loop); paced: ${first.paced.rate} votes/s arriving steadily (open loop)\n`);
  }
  console.log(
    [
      'What each column times:',
      '  store           sqlite (WAL file in a temp dir) or postgres (--database-url or TEST_DATABASE_URL, a schema of its own, dropped afterwards)',
      '  voters          votes on the poll after the run (pre-filled straight into the store, then the measured votes)',
      '  load ms         PollService.load() called → resolved: rebuilding the live tally from the stored votes, as at start-up',
      '  burst votes/s   2,000 new voters, 1,000 castVote calls in flight: votes ÷ (first call → last acknowledgement)',
      '  ms/vote         the same burst: (first call → last acknowledgement) ÷ votes',
      '  burst p50/p99/max, paced p50/p99/max   per vote: castVote called → its acknowledgement callback called',
      '  paced 2k/s      existing voters changing their minds, started every 5 ms at 2,000/s: votes ÷ (first start → last acknowledgement)',
      '  1-at-a-time ms  500 votes awaited one after another (change of mind, then new voter): total time ÷ votes',
      '  onChange        calls of the poll-message update hook during the run (bursts coalesce into few)',
      '  exact           the live tally equals the votes read back from the store afterwards\n',
    ].join('\n'),
  );
}

if (only === undefined || only === 'journey') {
  console.log('## Votes end to end: a burst of 500 simultaneous clicks through the loopback Discord in its own process, tamasha against a bare discord.js floor\n');
  printVoteJourney(await benchVoteJourney({ votes: 500, rounds: Number(arg('rounds') ?? 15) }));
}

if (only === undefined || only === 'fanout') {
  console.log(`## Daily digests to ${servers} servers through the loopback Discord, limited to 50 requests/s like Discord\n`);
  printTable([await benchFanout({ guilds: servers, window: 'fixed', loopback: 'inline' })], false);
  printFanoutLegend();
}

if (only === undefined || only === 'shards') {
  const shardServers = arg('servers') === undefined ? 5_000 : servers;
  console.log(`## Shard processes at ${shardServers} servers: start-up and memory per process, 4 shards in 1 process, in 4 processes, and under npm run shards\n`);
  printShards(await benchShards({ servers: shardServers }), shardServers);
}

if (only === undefined || only === 'scale') {
  if (!databaseUrl) console.log('## Digest fan-out from shard processes: skipped, it runs on PostgreSQL (--database-url postgres://… or TEST_DATABASE_URL)\n');
  else {
    console.log(`## Daily digests to ${servers} servers from real shard processes on PostgreSQL, every process's REST through one REST proxy, the loopback limited to 50 requests/s\n`);
    const counts = (arg('processes') ?? '1,4').split(',').map(Number);
    if (counts.some((c) => !Number.isInteger(c) || c < 1 || c > 4)) throw new Error(`--processes must be whole numbers from 1 to 4 separated by commas, got ${arg('processes')}`);
    const results: ScaleResult[] = [];
    for (const processes of counts) results.push(await benchScale({ servers, processes, databaseUrl, leadSeconds: Number(arg('lead') ?? 75) }));
    printScale(results);
  }
}

if (only === undefined || only === 'startup') {
  console.log('## Start-up of `npm start`: tsx against the compiled build\n');
  printStartup(await benchStartup({ runs: Number(arg('runs') ?? 7) }));
}

if (only === undefined || only === 'charts') {
  console.log('## Verdict charts: render time and size of the PNGs /verdict trend and /verdict shifts attach\n');
  printCharts(await benchCharts());
}

if (only === undefined || only === 'autocomplete') {
  console.log('## Autocomplete and the digest headline on a long history: a server with 1,000 closed polls, on SQLite\n');
  printAutocomplete(await benchAutocomplete({ closed: 1_000 }), 1_000);
}
