// The BullMQ anchor of bench/jobs: the same no-op workload on BullMQ (Node.js), the Redis job queue
// the design compares against. bench/jobs copies this file next to its node_modules and runs
//   node jobs-bullmq.mjs main PORT WORKERS CONCURRENCY JOBS RATE LATENCY_JOBS WARMUP
// It forks WORKERS worker processes (each a BullMQ Worker with CONCURRENCY), runs WARMUP jobs, then measures
// (1) throughput: JOBS no-op jobs added with addBulk in batches of 500, until all are completed;
// (2) dispatch latency: LATENCY_JOBS jobs added one by one at RATE per second (open loop), from just
// before queue.add to the 'active' event seen by a QueueEvents listener (as pixelsense's is measured
// to the 'running' event seen by a subscriber). Prints one JSON line.
import { Queue, Worker, QueueEvents } from 'bullmq';
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const [role, portText, a, b, c, d] = process.argv.slice(2);
const connection = { host: '127.0.0.1', port: Number(portText) };

if (role === 'worker') {
  const worker = new Worker('bench', async () => ({}), { connection, concurrency: Number(a) });
  await worker.waitUntilReady();
  process.send('ready');
  process.on('message', async () => { await worker.close(); process.exit(0); });
} else {
  const workers = Number(a), concurrency = Number(b), jobs = Number(c), rate = Number(d);
  const latencyJobs = Number(process.argv[8]);
  const warmup = Number(process.argv[9] || 2000);
  const queue = new Queue('bench', { connection });
  const events = new QueueEvents('bench', { connection });
  await events.waitUntilReady();
  const children = [];
  for (let i = 0; i < workers; i++) {
    const child = fork(new URL(import.meta.url).pathname, ['worker', portText, String(concurrency)]);
    await new Promise(resolve => child.once('message', resolve));
    children.push(child);
  }
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  // warm-up (JIT, connections), not measured
  for (let i = 0; i < warmup; i += 500) {
    await queue.addBulk(Array.from({ length: Math.min(500, warmup - i) }, (_, j) => ({ name: 'noop', data: { n: j } })));
  }
  while ((await queue.getCompletedCount()) < warmup) await sleep(20);
  // throughput (and the CPU redis-server spent on it, as the Java side measures its own)
  const redis = await queue.client;
  const redisCpu = async () => (await redis.info('cpu')).split(/\r?\n/)
    .filter(l => l.startsWith('used_cpu_sys:') || l.startsWith('used_cpu_user:'))
    .reduce((sum, l) => sum + Number(l.split(':')[1]), 0);
  const cpu0 = await redisCpu();
  const base = warmup;
  const started = performance.now();
  for (let i = 0; i < jobs; i += 500) {
    const batch = [];
    for (let j = i; j < Math.min(jobs, i + 500); j++) batch.push({ name: 'noop', data: { n: j } });
    await queue.addBulk(batch);
  }
  while ((await queue.getCompletedCount()) < base + jobs) await sleep(20);
  const seconds = (performance.now() - started) / 1000;
  const redisUsPerJob = ((await redisCpu()) - cpu0) * 1e6 / jobs;
  // dispatch latency, open loop (job ids chosen here, so an event cannot beat its start time)
  const t0 = new Map();
  const lat = [];
  events.on('active', ({ jobId }) => {
    const t = t0.get(jobId);
    if (t !== undefined) lat.push(performance.now() - t);
  });
  const loopStart = performance.now();
  for (let i = 0; i < latencyJobs; i++) {
    const due = loopStart + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    t0.set('lat-' + i, performance.now());
    await queue.add('noop', { n: i }, { jobId: 'lat-' + i });
  }
  const deadline = performance.now() + 10000;
  while (lat.length < latencyJobs && performance.now() < deadline) await sleep(20);
  lat.sort((x, y) => x - y);
  const pct = q => lat[Math.max(0, Math.min(lat.length - 1, Math.ceil(q * lat.length) - 1))];
  console.log(JSON.stringify({ jobs, seconds, jobs_per_s: jobs / seconds, redis_us_per_job: redisUsPerJob,
    latency_count: lat.length,
    p50_ms: pct(0.5), p99_ms: pct(0.99), max_ms: lat[lat.length - 1] }));
  for (const child of children) child.send('stop');
  await Promise.all(children.map(ch => new Promise(r => ch.once('exit', r))));
  await events.close();
  await queue.close();
  process.exit(0);
}
