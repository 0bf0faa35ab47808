/**
 * Node's built-in modules that few runs need, loaded when first used: each costs a millisecond or more of every
 * run's start to load (crypto 2.3 ms, zlib 1.4, worker_threads 1.4, stream 0.9 on the machine of the bench), and
 * only an advisory update, an image, a library signature, a GitLab report or a worker pool uses them.
 */
export const crypto = once(() => require('node:crypto') as typeof import('node:crypto'));
export const zlib = once(() => require('node:zlib') as typeof import('node:zlib'));
export const stream = once(() => require('node:stream') as typeof import('node:stream'));
export const streamPromises = once(() => require('node:stream/promises') as typeof import('node:stream/promises'));
export const workerThreads = once(() => require('node:worker_threads') as typeof import('node:worker_threads'));

function once<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}
