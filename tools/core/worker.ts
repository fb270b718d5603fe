/**
 * Runs one job in a `worker_threads` Worker, so a long computation (a solver under a time limit) leaves
 * the caller's event loop free. The worker script answers with messages: any number of progress
 * messages, then one result or one error. The roster solver and the bed-assignment solver use it.
 */
import { parentPort, Worker } from 'node:worker_threads';

export type WorkerMessage<Result, Progress = never> =
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; result: Result }
  | { type: 'error'; message: string };

/** Worker side: posts one message to the thread that started it. */
export function postToParent<Result, Progress = never>(message: WorkerMessage<Result, Progress>): void {
  parentPort?.postMessage(message);
}

/**
 * Starts the worker script at `script` with `workerData`, and settles with its result. Rejects when the
 * worker reports an error, throws, or exits before answering; with `signal`, an abort terminates the
 * worker and rejects with the signal's reason. The worker is terminated once the promise settles.
 */
export function runInWorker<Result, Progress = never>(
  script: URL,
  workerData: unknown,
  options: { name?: string; onProgress?: (progress: Progress) => void; signal?: AbortSignal } = {},
): Promise<Result> {
  const { name = 'worker', onProgress, signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const worker = new Worker(script, { workerData });
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => settle(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerMessage<Result, Progress>) => {
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'done') settle(() => resolve(message.result));
      else settle(() => reject(new Error(`${name} failed: ${message.message}`)));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`${name} worker exited with code ${code}`))));
  });
}
