/**
 * The fuzzer's worker thread: checks the inputs the runner posts, one at a time, and records the exceptions
 * thrown and caught inside through the inspector (pause on every exception, note where, resume at once), so a
 * format's own `catch` cannot hide one. The runner limits its heap and terminates it when an input takes too long.
 */
import { Session } from 'node:inspector';
import { parentPort } from 'node:worker_threads';
import { checkInput, type Catcher, type Thrown } from './invariants';
import type { FormatKey } from './corpus';

const session = new Session();
session.connect();
let recorded: Thrown[] = [];
// Frames carry a script id; the scripts' URLs come with their parse events.
const urls = new Map<string, string>();
session.on('Debugger.scriptParsed', (message) => urls.set(message.params.scriptId, message.params.url));
session.on('Debugger.paused', (message) => {
  const params = message.params as { reason: string; data?: { description?: string; className?: string }; callFrames: { functionName: string; url: string; location: { scriptId: string; lineNumber: number } }[] };
  if (params.reason === 'exception' || params.reason === 'promiseRejection') {
    const top = params.callFrames[0];
    const url = top ? top.url || urls.get(top.location.scriptId) || '' : '';
    const file = url.includes('/node_modules/') ? url.slice(url.lastIndexOf('/node_modules/') + 1) : url.slice(url.lastIndexOf('/') + 1);
    recorded.push({ error: (params.data?.description ?? params.data?.className ?? 'unknown').split('\n')[0]!.slice(0, 160), where: top ? `${top.functionName || '(anonymous)'} (${file}:${top.location.lineNumber + 1})` : '' });
  }
  session.post('Debugger.resume');
});
session.post('Debugger.enable');

const catcher: Catcher = {
  on() {
    recorded = [];
    session.post('Debugger.setPauseOnExceptions', { state: 'all' });
  },
  off() {
    session.post('Debugger.setPauseOnExceptions', { state: 'none' });
    const out = recorded;
    recorded = [];
    return out;
  },
};

// The first analysis builds the advisory index and compiles the formats: done before the first timed input.
checkInput('dockerfile', 'FROM debian:sid\nRUN apt-get install -y xz-utils=5.6.1-1\n');

parentPort!.on('message', (message: { id: number; key: FormatKey; text: string }) => {
  const checked = checkInput(message.key, message.text, catcher);
  parentPort!.postMessage({ id: message.id, checked, heapMb: process.memoryUsage().heapUsed / 2 ** 20 });
});
parentPort!.postMessage({ ready: true });
