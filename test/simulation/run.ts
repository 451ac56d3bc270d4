/**
 * `npm run sim -- --seeds N --start S [--world fake|terminal|wechat|alipay]`: runs seeds S … S+N-1
 * (against the fake provider, or over HTTP against the sandbox card terminal, WeChat Pay or Alipay
 * through the real adapters) and prints one JSON line
 * `{"seeds","violations","firstFailingSeed","replay"}`; exits 1 on any violation. A failing seed
 * replays alone with `--start <seed> --seeds 1 --verbose`.
 */
import { parseArgs } from 'node:util';
import { CASHIER_MOVES, checkWorld, runSeed, simulationDb, WORLD_KINDS, type WorldKind } from './simulator';

export async function simulate(
  start: number,
  seeds: number,
  options: { verbose?: boolean; world?: WorldKind } = {},
) {
  const world = options.world ?? 'fake';
  const verbose = options.verbose ?? false;
  const db = await simulationDb();
  const failures: { seed: number; violations: string[] }[] = [];
  let attempts = 0;
  let crashes = 0;
  let notices = 0;
  let heard = 0;
  let reviews = 0;
  let slips = 0;
  let proofs = 0;
  const moves = Object.fromEntries(CASHIER_MOVES.map((m) => [m, 0])) as Record<
    (typeof CASHIER_MOVES)[number],
    number
  >;
  try {
    for (let seed = start; seed < start + seeds; seed++) {
      const result = await runSeed(db, seed, world);
      attempts += result.attempts;
      crashes += result.crashes;
      notices += result.notices;
      heard += result.heard;
      reviews += result.reviews;
      slips += result.slips;
      proofs += result.proofs;
      for (const m of CASHIER_MOVES) moves[m] += result.moves[m];
      if (result.violations.length > 0) failures.push({ seed, violations: result.violations });
      if (verbose) console.error(JSON.stringify(result));
    }
    const problems = await checkWorld(db);
    if (problems.length > 0) failures.push({ seed: -1, violations: problems });
  } finally {
    await db.close();
  }
  const first = failures[0];
  return {
    world,
    seeds,
    start,
    attempts,
    crashes,
    notices,
    heard,
    reviews,
    slips,
    proofs,
    moves,
    violations: failures.reduce((n, f) => n + f.violations.length, 0),
    firstFailingSeed: first?.seed ?? null,
    firstViolations: first?.violations.slice(0, 5) ?? [],
    replay: first ? `npm run sim -- --world ${world} --start ${first.seed} --seeds 1 --verbose` : null,
  };
}

if (process.argv[1]?.endsWith('run.ts')) {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string', default: '1000' },
      start: { type: 'string', default: '1' },
      verbose: { type: 'boolean', default: false },
      world: { type: 'string', default: 'fake' },
    },
  });
  if (!WORLD_KINDS.includes(values.world as WorldKind)) throw new Error(`--world ${WORLD_KINDS.join('|')}`);
  const summary = await simulate(Number(values.start), Number(values.seeds), {
    verbose: values.verbose,
    world: values.world as WorldKind,
  });
  console.log(JSON.stringify(summary));
  process.exit(summary.violations > 0 ? 1 : 0);
}
