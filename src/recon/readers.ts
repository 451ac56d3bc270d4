/** How a statement reaches the import: a file or an upload, a large one read on its own thread. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Ctx } from '../context';
import {
  notAFile,
  readPaired,
  readStatementBytes,
  readStatementFile,
  readStatementInThread,
  StatementFileError,
  THREAD_FROM_BYTES,
} from './read-file';
import type { StatementProvider } from './statement';
import { type ImportSummary, importStatement, type StatementReader } from './statement-import';

/**
 * A statement file from disk: read and parsed line by line, then imported. A file that is not a
 * statement at all (a damaged zip, no detail inside) is one error on line 0 — nothing stored.
 */
export async function importStatementFile(
  ctx: Ctx,
  input: { provider: StatementProvider; file: string; storeId: string | null },
): Promise<ImportSummary> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(input.file)) hash.update(chunk as Buffer);
  return importStatement(ctx, {
    provider: input.provider,
    read: await fileReader(input.provider, input.file),
    fileName: basename(input.file),
    sha256: hash.digest('hex'),
    storeId: input.storeId,
  });
}

/** How a file is read: a large one on its own thread, a small one here. */
export async function fileReader(provider: StatementProvider, file: string): Promise<StatementReader> {
  const { size } = await stat(file);
  return statementReader((take, attempts) =>
    size >= THREAD_FROM_BYTES
      ? readStatementInThread({ provider, file }, take, attempts)
      : readPaired((emit, drain) => readStatementFile(provider, file, emit, drain), attempts, take),
  );
}

/** How an upload is read: a large one on its own thread, a small one here. */
export function bytesReader(provider: StatementProvider, bytes: Buffer): StatementReader {
  return statementReader((take, attempts) =>
    bytes.length >= THREAD_FROM_BYTES
      ? readStatementInThread({ provider, bytes }, take, attempts)
      : readPaired((emit, drain) => readStatementBytes(provider, bytes, emit, drain), attempts, take),
  );
}

/** A reader for which a file that is no statement at all is its one error, on line 0. */
function statementReader(read: StatementReader): StatementReader {
  return async (take, attempts) => {
    try {
      return await read(take, attempts);
    } catch (error: unknown) {
      if (!(error instanceof StatementFileError)) throw error;
      return notAFile(error);
    }
  };
}
