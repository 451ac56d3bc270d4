/** Running the real `tillsafe` command as a child process, on a test database, as an operator would. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { TestDatabase } from './databases';

export const BIN = path.resolve('bin/tillsafe.mjs');

/** The environment that points the command at a test database (like TILLSAFE_DATA_DIR / DATABASE_URL). */
export function envFor(db: TestDatabase): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TILLSAFE_LOG: 'false' };
  delete env.DATABASE_URL;
  const config = db.config;
  if (config.dialect === 'sqlite') {
    env.TILLSAFE_DATA_DIR = path.dirname(config.file);
  } else {
    env.DATABASE_URL = config.url;
    if (config.schema) env.DATABASE_SCHEMA = config.schema;
  }
  return env;
}

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, and wait for the process to exit (it checkpoints and closes the database). */
  stop(): Promise<void>;
}

/**
 * Runs `tillsafe <args>` and resolves once its output matches `ready` (the first group is returned),
 * with everything it wrote kept for the test; rejects if it exits or stays silent too long.
 */
async function spawnUntil(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; found: string; output(): string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [BIN, ...args], { env });
  let out = '';
  const found = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`tillsafe ${args.join(' ')} did not start: ${out}`)),
      60_000,
    );
    const take = (chunk: Buffer) => {
      out += chunk.toString();
      const match = ready.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.on('exit', (code) => reject(new Error(`tillsafe ${args.join(' ')} exited ${code}: ${out}`)));
  });
  return {
    child,
    found,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** `tillsafe serve` on a free port; resolves once it prints the URL to open. */
export async function startServeProcess(
  db: TestDatabase,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<ServeProcess> {
  const run = await spawnUntil(
    ['serve'],
    { ...envFor(db), PORT: '0', HOST: '127.0.0.1', ...extraEnv },
    /open (http:\/\/localhost:\d+)/,
  );
  return { url: run.found, child: run.child, output: run.output, stop: run.stop };
}

/** `tillsafe sandbox card-terminal` as its own process, as a terminal on the LAN would be. */
export async function startSandboxTerminalProcess(
  poiId: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const run = await spawnUntil(
    ['sandbox', 'card-terminal', '--poi', poiId],
    { ...process.env },
    /listening at (http:\/\/[\d.:]+)/,
  );
  return { url: run.found, stop: run.stop };
}

/** Kills a server the hard way (no shutdown, no checkpoint) and waits until it is gone. */
export function killHard(server: ServeProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}
