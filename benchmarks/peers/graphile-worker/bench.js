// graphile-worker as a peer in Tollgate's queue benchmark. GraphileWorkerSystem (Java) starts this
// script; the database is given in DATABASE_URL, the schema in GRAPHILE_SCHEMA.
//   node bench.js migrate          installs graphile-worker's schema, then exits
//   node bench.js work N POOL      runs a worker with concurrency N over POOL connections and a
//                                  no-op task 'noop'; prints "ready" before starting it and stops
//                                  when its standard input closes
'use strict';
const { Logger, run, runMigrations } = require('graphile-worker');

const connectionString = process.env.DATABASE_URL;
const schema = process.env.GRAPHILE_SCHEMA || 'graphile_worker';
// Only warnings and errors, on standard error: standard output carries the protocol.
const logger = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') {
    console.error(level + ': ' + message);
  }
});

async function main() {
  const mode = process.argv[2];
  if (mode === 'migrate') {
    await runMigrations({ connectionString, schema });
    return;
  }
  if (mode !== 'work') {
    throw new Error('usage: node bench.js migrate | work CONCURRENCY POOL');
  }
  const concurrency = Number(process.argv[3]);
  const maxPoolSize = Number(process.argv[4]);
  console.log('ready');
  const runner = await run({
    connectionString,
    schema,
    concurrency,
    maxPoolSize,
    pollInterval: 100,
    noHandleSignals: true,
    logger,
    taskList: { noop: async () => {} },
  });
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await runner.stop();
    process.exit(0);
  });
  await runner.promise;
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
