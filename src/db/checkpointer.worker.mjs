// Background checkpointer for the embedded SQLite store (started by wal.ts). Plain JavaScript:
// it needs nothing but the driver, and worker threads do not inherit the TypeScript loader.
// A PASSIVE checkpoint copies committed WAL frames into the database file without ever making the
// writer wait; it runs here so its page copies and fsyncs stay off the thread that answers requests.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL'); // a checkpoint syncs the WAL before and the database after

function checkpoint() {
  const [row] = db.pragma('wal_checkpoint(PASSIVE)');
  return { busy: row.busy, logFrames: row.log, checkpointedFrames: row.checkpointed };
}

const timer = setInterval(() => {
  try {
    checkpoint();
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String(error) });
  }
}, workerData.intervalMs);

parentPort.on('message', (message) => {
  if (message.type === 'checkpoint') {
    try {
      parentPort.postMessage({ type: 'checkpointed', id: message.id, ...checkpoint() });
    } catch (error) {
      parentPort.postMessage({ type: 'checkpointed', id: message.id, error: String(error) });
    }
  } else if (message.type === 'close') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
