// Federated-search benchmark (issue 2). `npm run bench` / `make bench`.
//
// Spawns the 5 benchmark sources (bench/sources.ts) and the hub (bench/hub.ts) as separate processes,
// then, from this process:
//   1. warm-up: a few hundred searches through the hub, a hundred groups straight to the sources;
//   2. baseline: a bare undici client (one Pool per source, like the hub's connectors) issues groups of
//      5 parallel GETs at a fixed, evenly spaced rate and reads the JSON bodies → per-group latency;
//   3. hub at the same fixed load, twice:
//        a. autocannon, POST /v1/search, overallRate = rate (the method);
//        b. the baseline's own open-loop scheduler, POST /v1/search through an undici Pool (like for like:
//           same arrival pattern, same client as the baseline);
//      overhead = hub − baseline, at p50 and p99;
//   4. saturation: autocannon with many connections and no rate limit → searches/s, latency, non-2xx.
// Prints a markdown table and writes bench/results/latest.json.
//
//   node bench/run.ts [--duration S] [--rate N] [--connections N] [--fixed-connections N] [--out FILE]

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { HUB_NODE_FLAGS } from './hub-flags.ts';
import { PERSON_COUNT, PERSONS, SOURCE_COUNT } from './people.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    connections: { type: 'string', default: '64' },
    'fixed-connections': { type: 'string', default: '50' },
    warmup: { type: 'string', default: '400' },
    workers: { type: 'string', default: '1' },
    out: { type: 'string', default: join(here, 'results', 'latest.json') },
  },
});
const DURATION = positive('duration');
const RATE = positive('rate');
const WORKERS = positive('workers');
const SAT_CONNECTIONS = positive('connections');
const FIXED_CONNECTIONS = positive('fixed-connections');
const WARMUP = positive('warmup');

function positive(name: keyof typeof args): number {
  const n = Number(args[name]);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`bench: --${name} must be a positive number\n`);
    process.exit(2);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------
// Child processes

interface Child {
  name: string;
  proc: ChildProcessWithoutNullStreams;
  stderr: string[];
}

const children: Child[] = [];

function start(name: string, file: string, argv: string[], nodeFlags: string[] = []): Child {
  const proc = spawn(process.execPath, [...nodeFlags, join(here, file), ...argv], {
    stdio: ['pipe', 'pipe', 'pipe'],
    // Fastify's deprecation notices are noise here; real errors still reach stderr and are shown on failure.
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const child: Child = { name, proc, stderr: [] };
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d: string) => {
    child.stderr.push(d);
    if (child.stderr.length > 50) child.stderr.shift();
  });
  children.push(child);
  return child;
}

/** The first line the child prints on stdout, parsed as JSON. */
function firstLine<T>(child: Child, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.proc.stdout });
    const timer = setTimeout(() => fail(new Error(`${child.name} did not start within ${timeoutMs} ms`)), timeoutMs);
    const onExit = (code: number | null) => fail(new Error(`${child.name} exited (code ${code}) before it was ready`));
    function fail(err: Error) {
      clearTimeout(timer);
      rl.close();
      child.proc.off('exit', onExit);
      reject(new Error(`${err.message}\n${child.stderr.join('').slice(-2000)}`));
    }
    child.proc.once('exit', onExit);
    rl.once('line', (line) => {
      clearTimeout(timer);
      child.proc.off('exit', onExit);
      rl.close();
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${child.name} printed ${JSON.stringify(line)}, not JSON`));
      }
    });
  });
}

async function stopChildren(): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
          const hard = setTimeout(() => c.proc.kill('SIGKILL'), 3_000);
          c.proc.once('exit', () => {
            clearTimeout(hard);
            resolve();
          });
          c.proc.stdin.end();
          c.proc.kill('SIGTERM');
        }),
    ),
  );
}

// Safety nets: children never outlive this process, and this process never runs unbounded.
process.on('exit', () => {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    void stopChildren().finally(() => process.exit(130));
  });
}
const watchdogMs = (DURATION * 5 + 180) * 1000;
setTimeout(() => {
  process.stderr.write(`bench: still running after ${watchdogMs / 1000} s, giving up\n`);
  void stopChildren().finally(() => process.exit(1));
}, watchdogMs).unref();

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command: state is [0], utime [11], stime [12], in clock ticks (100/s on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Statistics

interface Latency {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function summarise(samples: number[]): Latency {
  const s = Float64Array.from(samples).sort();
  const at = (q: number) => (s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!);
  let sum = 0;
  for (const v of s) sum += v;
  return { n: s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s.length ? s[s.length - 1]! : NaN, mean: sum / s.length };
}

const r2 = (n: number) => Math.round(n * 100) / 100;
const fmt = (n: number | undefined, unit = '') => (n === undefined || Number.isNaN(n) ? '–' : `${n.toFixed(2)}${unit}`);

function roundLatency(l: Latency): Latency {
  return { n: l.n, p50: r2(l.p50), p90: r2(l.p90), p99: r2(l.p99), max: r2(l.max), mean: r2(l.mean) };
}

// ---------------------------------------------------------------------------------------------------
// Load generators

interface OpenLoopResult {
  latency: Latency;
  sent: number;
  errors: number;
  achievedRate: number;
  /** Worst delay between when a request was due and when it was sent: shows whether the generator kept up. */
  maxLagMs: number;
  firstError?: string;
}

/**
 * Fires `fire` at `rate` per second, evenly spaced, for `seconds`, without waiting for answers (open loop);
 * latency is measured from each send to its completion.
 */
function openLoop(rate: number, seconds: number, fire: () => Promise<void>): Promise<OpenLoopResult> {
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const samples: number[] = [];
  let sent = 0;
  let done = 0;
  let errors = 0;
  let maxLag = 0;
  let firstError: string | undefined;
  const begin = performance.now();
  return new Promise((resolve) => {
    const finish = () => {
      const elapsed = (performance.now() - begin) / 1000;
      const out: OpenLoopResult = { latency: summarise(samples), sent, errors, achievedRate: r2(samples.length / elapsed), maxLagMs: r2(maxLag) };
      if (firstError !== undefined) out.firstError = firstError;
      resolve(out);
    };
    const launch = () => {
      const t0 = performance.now();
      fire().then(
        () => {
          samples.push(performance.now() - t0);
          if (++done === total) finish();
        },
        (err: unknown) => {
          errors++;
          firstError ??= err instanceof Error ? err.message : String(err);
          if (++done === total) finish();
        },
      );
    };
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - begin) / interval) + 1);
      while (sent < due) {
        maxLag = Math.max(maxLag, now - (begin + sent * interval));
        sent++;
        launch();
      }
      if (sent < total) setTimeout(tick, Math.max(0, begin + sent * interval - performance.now()));
    };
    tick();
  });
}

interface CannonResult {
  /** Our own samples (float ms, 2xx responses), from autocannon's response events. */
  latency: Latency;
  /** Autocannon's own figures (integer-ms histogram). */
  autocannon: { p50: number; p99: number; mean: number; requestsPerSecMean: number };
  requests: number;
  searchesPerSec: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Sampled answers that were partial (some source did not answer) or not 200: must be 0. */
  partial: number;
  /** How many answers the sampler checked in full during the phase. */
  checked: number;
  durationS: number;
}

/**
 * Answers checked in full while autocannon runs: 10 a second through a client of their own (they add
 * to the offered load). Checking every answer inside autocannon (verifyBody) makes it keep each 145 KB
 * body as a string, which cost the load generator ~0.7 ms CPU per search — taken from the same two
 * cores the hub runs on.
 */
function sampleAnswers(url: string, body: string): () => Promise<{ checked: number; bad: number }> {
  const pool = new Pool(url, { connections: 1 });
  let checked = 0;
  let bad = 0;
  const pending = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const p = pool
      .request({ method: 'POST', path: '/v1/search', headers: { 'content-type': 'application/json', authorization: hubAuthorization }, body })
      .then(async (res) => {
        const text = await res.body.text();
        checked++;
        if (res.statusCode !== 200 || !text.includes('"partial":false')) bad++;
      })
      .catch(() => {
        checked++;
        bad++;
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  }, 100);
  return async () => {
    clearInterval(timer);
    await Promise.all(pending);
    await pool.close();
    return { checked, bad };
  };
}

/** The signed-on officer every search of the benchmark runs as (the hub verifies the token each time). */
let hubAuthorization = '';

function cannon(url: string, body: string, opts: { connections: number; duration: number; overallRate?: number; amount?: number }): Promise<CannonResult> {
  const samples: number[] = [];
  const sampled = sampleAnswers(url, body);
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/v1/search`,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: hubAuthorization },
        body,
        connections: opts.connections,
        ...(opts.amount !== undefined ? { amount: opts.amount } : { duration: opts.duration }),
        ...(opts.overallRate !== undefined
          ? // Autocannon would otherwise add synthetic samples at 1-ms steps below every latency longer than
            // its expected interval (ceil(1/per-connection rate) ms), which swamps the distribution.
            { overallRate: opts.overallRate, ignoreCoordinatedOmission: true }
          : {}),
        timeout: 30,
      },
      async (err, result) => {
        const sample = await sampled();
        if (err) return reject(err);
        const durationS = result.duration;
        resolve({
          latency: summarise(samples),
          autocannon: { p50: result.latency.p50, p99: result.latency.p99, mean: r2(result.latency.mean), requestsPerSecMean: r2(result.requests.mean) },
          requests: result['2xx'] + result.non2xx,
          searchesPerSec: r2(result['2xx'] / durationS),
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          partial: sample.bad,
          checked: sample.checked,
          durationS,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Main

interface Check {
  ok: boolean;
  subjects: number;
  recordsPerSubject: number[];
  sourcesOk: number;
  detail?: string;
}

async function checkAnswer(hub: Pool, body: string): Promise<Check> {
  const res = await hub.request({ method: 'POST', path: '/v1/search', headers: { 'content-type': 'application/json', authorization: hubAuthorization }, body });
  const text = await res.body.text();
  if (res.statusCode !== 200) return { ok: false, subjects: 0, recordsPerSubject: [], sourcesOk: 0, detail: `HTTP ${res.statusCode}: ${text.slice(0, 300)}` };
  const r = JSON.parse(text) as { subjects: { records: unknown[] }[]; sources: { status: string }[] };
  const per = r.subjects.map((s) => s.records.length);
  const sourcesOk = r.sources.filter((s) => s.status === 'ok').length;
  const ok = r.subjects.length === PERSON_COUNT && per.every((n) => n === SOURCE_COUNT) && sourcesOk === SOURCE_COUNT;
  return { ok, subjects: r.subjects.length, recordsPerSubject: [...new Set(per)], sourcesOk };
}

function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

async function main(): Promise<void> {
  const machine = {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    /** 1-minute load average before the run: other work on the machine skews every figure. */
    loadAvgBefore: r2(loadavg()[0]!),
  };
  log(`node ${machine.node}, ${machine.nproc} CPUs (${machine.cpu}), load average ${machine.loadAvgBefore}; duration ${DURATION} s, rate ${RATE}/s`);

  const sources = start('sources', 'sources.ts', []);
  const { urls } = await firstLine<{ urls: string[] }>(sources);
  const hubChild = start('hub', 'hub.ts', ['--sources', urls.join(','), '--workers', String(WORKERS)], HUB_NODE_FLAGS);
  const { url: hubUrl, pids: hubPids, token } = await firstLine<{ url: string; pids: number[]; token: string }>(hubChild);
  hubAuthorization = `Bearer ${token}`;
  log(`sources ${urls.join(' ')}; hub ${hubUrl}`);

  // The same person every time: every source answers the same 50 records whatever is asked.
  const hkid = PERSONS[0]!.hkid;
  const searchBody = JSON.stringify({ query: { identifiers: [{ scheme: 'hkid', value: hkid }] }, purpose: 'benchmark', expand: false });
  const sourcePath = `/people?hkid=${encodeURIComponent(hkid.replace(/[()]/g, ''))}&limit=50`;

  const pools = urls.map((u) => new Pool(u, { connections: 128 }));
  const hubPool = new Pool(hubUrl, { connections: FIXED_CONNECTIONS });
  const group = async () => {
    await Promise.all(
      pools.map(async (p) => {
        const res = await p.request({ method: 'GET', path: sourcePath, headers: { accept: 'application/json', 'user-agent': 'cirms-bench' } });
        if (res.statusCode !== 200) {
          await res.body.dump();
          throw new Error(`source answered HTTP ${res.statusCode}`);
        }
        await res.body.json();
      }),
    );
  };
  const viaHub = async () => {
    const res = await hubPool.request({ method: 'POST', path: '/v1/search', headers: { 'content-type': 'application/json', authorization: hubAuthorization }, body: searchBody });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`hub answered HTTP ${res.statusCode}`);
    if (!text.includes('"partial":false')) throw new Error('partial answer');
  };

  try {
    const before = await checkAnswer(hubPool, searchBody);
    if (!before.ok) throw new Error(`the hub's answer is not what the benchmark expects: ${JSON.stringify(before)}`);

    // 1. Warm-up: JIT, pools' connections, the hub's code paths.
    log(`warm-up: ${WARMUP} searches, 100 baseline groups`);
    await cannon(hubUrl, searchBody, { connections: 16, duration: DURATION, amount: WARMUP });
    await openLoop(RATE, 100 / RATE, group);
    await openLoop(RATE, 100 / RATE, viaHub);

    // With --workers, the hub is a cluster primary plus its workers: its CPU is theirs added up.
    const hubCpu = () => {
      let sum = 0;
      for (const pid of hubPids) {
        const v = cpuSeconds(pid);
        if (v === undefined) return undefined;
        sum += v;
      }
      return sum;
    };
    const measure = async <T>(fn: () => Promise<T>): Promise<{ result: T; hubCpuS: number | undefined; sourcesCpuS: number | undefined; selfCpuS: number }> => {
      const h0 = hubCpu();
      const s0 = cpuSeconds(sources.proc.pid);
      const c0 = process.cpuUsage();
      const result = await fn();
      const h1 = hubCpu();
      const s1 = cpuSeconds(sources.proc.pid);
      const c1 = process.cpuUsage(c0);
      return {
        result,
        hubCpuS: h0 !== undefined && h1 !== undefined ? r2(h1 - h0) : undefined,
        sourcesCpuS: s0 !== undefined && s1 !== undefined ? r2(s1 - s0) : undefined,
        selfCpuS: r2((c1.user + c1.system) / 1e6),
      };
    };

    // 2. Baseline: the sources alone.
    log(`baseline: ${RATE} groups/s × ${SOURCE_COUNT} GETs for ${DURATION} s`);
    const baseline = await measure(() => openLoop(RATE, DURATION, group));

    // 3b. Hub, same scheduler as the baseline.
    log(`hub, open loop: ${RATE} searches/s for ${DURATION} s`);
    const hubOpen = await measure(() => openLoop(RATE, DURATION, viaHub));

    // 3a. Hub, autocannon at a fixed overall rate.
    log(`hub, autocannon: overallRate ${RATE}, ${FIXED_CONNECTIONS} connections, ${DURATION} s`);
    const hubFixed = await measure(() => cannon(hubUrl, searchBody, { connections: FIXED_CONNECTIONS, duration: DURATION, overallRate: RATE }));

    // 4. Saturation.
    log(`saturation: ${SAT_CONNECTIONS} connections, no rate limit, ${DURATION} s`);
    const saturation = await measure(() => cannon(hubUrl, searchBody, { connections: SAT_CONNECTIONS, duration: DURATION }));

    const after = await checkAnswer(hubPool, searchBody);

    const b = baseline.result.latency;
    const overhead = (h: Latency) => ({ p50: r2(h.p50 - b.p50), p99: r2(h.p99 - b.p99), mean: r2(h.mean - b.mean) });
    const perSearchMs = (cpuS: number | undefined, n: number) => (cpuS === undefined || n === 0 ? undefined : r2((cpuS * 1000) / n));
    const results = {
      date: new Date().toISOString(),
      machine: { ...machine, loadAvgAfter: r2(loadavg()[0]!) },
      settings: { durationS: DURATION, rate: RATE, fixedConnections: FIXED_CONNECTIONS, saturationConnections: SAT_CONNECTIONS, sourceDelayMs: 20, sources: SOURCE_COUNT, recordsPerSource: PERSON_COUNT },
      baseline: { ...baseline.result, latency: roundLatency(b), cpuS: { sources: baseline.sourcesCpuS, generator: baseline.selfCpuS } },
      hubOpenLoop: {
        ...hubOpen.result,
        latency: roundLatency(hubOpen.result.latency),
        overhead: overhead(hubOpen.result.latency),
        cpuS: { hub: hubOpen.hubCpuS, sources: hubOpen.sourcesCpuS, generator: hubOpen.selfCpuS },
        hubCpuMsPerSearch: perSearchMs(hubOpen.hubCpuS, hubOpen.result.latency.n),
      },
      hubAutocannon: {
        ...hubFixed.result,
        latency: roundLatency(hubFixed.result.latency),
        overhead: overhead(hubFixed.result.latency),
        cpuS: { hub: hubFixed.hubCpuS, sources: hubFixed.sourcesCpuS, generator: hubFixed.selfCpuS },
        hubCpuMsPerSearch: perSearchMs(hubFixed.hubCpuS, hubFixed.result.requests),
      },
      saturation: {
        ...saturation.result,
        latency: roundLatency(saturation.result.latency),
        cpuS: { hub: saturation.hubCpuS, sources: saturation.sourcesCpuS, generator: saturation.selfCpuS },
        hubCpuMsPerSearch: perSearchMs(saturation.hubCpuS, saturation.result.requests),
      },
      answerCheck: { before, after },
      targets: {
        p50OverheadMs: 2,
        p99OverheadMs: 5,
        saturationSearchesPerSec: 800,
      },
    };
    const verdict = {
      p50Overhead: results.hubAutocannon.overhead.p50 <= 2,
      p99Overhead: results.hubAutocannon.overhead.p99 <= 5,
      p50OverheadOpenLoop: results.hubOpenLoop.overhead.p50 <= 2,
      p99OverheadOpenLoop: results.hubOpenLoop.overhead.p99 <= 5,
      saturation: results.saturation.searchesPerSec >= 800,
      no5xxOr4xx: results.saturation.non2xx === 0 && results.hubAutocannon.non2xx === 0,
      noPartial: results.saturation.partial === 0 && results.hubAutocannon.partial === 0 && results.saturation.errors === 0,
      answers: before.ok && after.ok,
    };

    mkdirSync(dirname(args.out!), { recursive: true });
    writeFileSync(args.out!, JSON.stringify({ ...results, verdict }, null, 2) + '\n');

    const row = (name: string, load: string, l: Latency, extra: { rate?: number; errors?: string; cpu?: number | undefined }) =>
      `| ${name} | ${load} | ${fmt(extra.rate)} | ${fmt(l.p50)} | ${fmt(l.p90)} | ${fmt(l.p99)} | ${fmt(l.mean)} | ${extra.errors ?? '0'} | ${fmt(extra.cpu)} |`;
    const hf = results.hubAutocannon;
    const ho = results.hubOpenLoop;
    const sat = results.saturation;
    const lines = [
      '',
      `Federated search — ${SOURCE_COUNT} sources × ${PERSON_COUNT} records (20 ms each) → ${PERSON_COUNT} subjects; node ${machine.node}, ${machine.nproc} CPUs, load average ${machine.loadAvgBefore} → ${results.machine.loadAvgAfter}, ${DURATION} s per phase`,
      '',
      '| phase | load | done/s | p50 ms | p90 ms | p99 ms | mean ms | errors / non-2xx / partial | hub CPU ms/search |',
      '|---|---|---|---|---|---|---|---|---|',
      row('baseline (undici, 5 GETs)', `${RATE}/s open loop`, b, { rate: baseline.result.achievedRate, errors: `${baseline.result.errors}` }),
      row('hub (undici)', `${RATE}/s open loop`, ho.latency, { rate: ho.achievedRate, errors: `${ho.errors}`, cpu: ho.hubCpuMsPerSearch }),
      row('hub (autocannon)', `overallRate ${RATE}, ${FIXED_CONNECTIONS} conn`, hf.latency, { rate: hf.searchesPerSec, errors: `${hf.errors} / ${hf.non2xx} / ${hf.partial}`, cpu: hf.hubCpuMsPerSearch }),
      row('hub saturation (autocannon)', `${SAT_CONNECTIONS} conn, no limit`, sat.latency, { rate: sat.searchesPerSec, errors: `${sat.errors} / ${sat.non2xx} / ${sat.partial}`, cpu: sat.hubCpuMsPerSearch }),
      '',
      `| overhead (hub − baseline) | p50 ms | p99 ms | target |`,
      '|---|---|---|---|',
      `| autocannon, overallRate ${RATE} | ${fmt(hf.overhead.p50)} | ${fmt(hf.overhead.p99)} | p50 ≤ 2 (${verdict.p50Overhead ? 'met' : 'MISSED'}), p99 ≤ 5 (${verdict.p99Overhead ? 'met' : 'MISSED'}) |`,
      `| undici open loop, ${RATE}/s | ${fmt(ho.overhead.p50)} | ${fmt(ho.overhead.p99)} | p50 ≤ 2 (${verdict.p50OverheadOpenLoop ? 'met' : 'MISSED'}), p99 ≤ 5 (${verdict.p99OverheadOpenLoop ? 'met' : 'MISSED'}) |`,
      '',
      `saturation: ${fmt(sat.searchesPerSec)} searches/s (autocannon mean ${fmt(sat.autocannon.requestsPerSecMean)}/s; target ≥ 800: ${verdict.saturation ? 'met' : 'MISSED'}); ` +
        `non-2xx ${sat.non2xx}, errors ${sat.errors}, partial ${sat.partial} of ${sat.checked} sampled; ` +
        `CPU s during saturation: hub ${fmt(sat.cpuS.hub)}, sources ${fmt(sat.cpuS.sources)}, load generator ${fmt(sat.cpuS.generator)} (of ${fmt(sat.durationS * machine.nproc)} available)`,
      `answer check: before ${before.ok ? 'ok' : 'FAILED'}, after ${after.ok ? 'ok' : 'FAILED'} (${after.subjects} subjects, records/subject ${after.recordsPerSubject.join(',')}, ${after.sourcesOk} sources ok)`,
      `results: ${relative(process.cwd(), args.out!)}`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    if (!verdict.answers || !verdict.no5xxOr4xx || !verdict.noPartial) process.exitCode = 1;
  } finally {
    await Promise.all([...pools, hubPool].map((p) => p.destroy()));
    await stopChildren();
  }
}

main().catch(async (err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  await stopChildren();
  process.exit(1);
});
