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

/** `tillsafe serve` on a free port; resolves once it prints the URL to open. */
export async function startServeProcess(
  db: TestDatabase,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...envFor(db), PORT: '0', HOST: '127.0.0.1', ...extraEnv },
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 60_000);
    const look = () => {
      const match = /open (http:\/\/localhost:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', look);
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return {
    url,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** `tillsafe sandbox card-terminal` as its own process, as a terminal on the LAN would be. */
export async function startSandboxTerminalProcess(
  poiId: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'sandbox', 'card-terminal', '--poi', poiId], {
    env: { ...process.env },
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`terminal did not start: ${out}`)), 30_000);
    child.stdout!.on('data', () => {
      const match = /listening at (http:\/\/[\d.:]+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`terminal exited ${code}: ${out}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Kills a server the hard way (no shutdown, no checkpoint) and waits until it is gone. */
export function killHard(server: ServeProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}
