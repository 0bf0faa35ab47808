/**
 * `advisories update`: downloads the per-ecosystem `all.zip` of an OSV feed (`SOURCE/<ecosystem>/all.zip`) and
 * imports it. The only code in Pinwatch that touches the network, and only when asked. Each request is
 * conditional (If-None-Match, If-Modified-Since with the validators of the last download), so an unchanged feed
 * costs one round trip per ecosystem. Every ecosystem succeeds or fails on its own; the store switches once, to
 * the ecosystems that succeeded, and keeps the old data of the others.
 */
import { defaultLimits, isDumpError, readZip, type DumpLimits } from './dumps';
import type { ImportRules } from './importRules';
import { commitSources, isStoreError, readManifest, writeSource, type StoreSource } from './store';

/** OSV's public bucket. */
export const defaultFeed = 'https://osv-vulnerabilities.storage.googleapis.com';

/** The ecosystems of OSV's malicious-packages data. */
export const feedEcosystems = ['npm', 'PyPI', 'RubyGems', 'crates.io', 'Go', 'NuGet', 'Maven'] as const;

/** What happened to one ecosystem. */
export type FeedOutcome =
  | { ecosystem: string; status: 'updated'; records: number }
  | { ecosystem: string; status: 'unchanged' }
  | { ecosystem: string; status: 'not-served' }
  | { ecosystem: string; status: 'failed'; reason: string };

/** What `update` needs. */
export interface UpdateOptions {
  dir: string;
  source: string;
  ecosystems: readonly string[];
  rules: ImportRules;
  /** The fetch to use (the built-in one; a test may wrap it). */
  fetch?: typeof fetch;
  /** Extra options for every request (a proxy dispatcher). */
  requestInit?: Record<string, unknown>;
  signal?: AbortSignal;
  limits?: DumpLimits;
  onProgress?(message: string): void;
}

/** The URL of an ecosystem's zip under a feed. */
export function feedUrl(source: string, ecosystem: string): string {
  return `${source.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/all.zip`;
}

/** Downloads and imports each ecosystem; never throws for one ecosystem's failure (see the outcomes). */
export async function updateFeeds(options: UpdateOptions): Promise<FeedOutcome[]> {
  const doFetch = options.fetch ?? fetch;
  const limits = options.limits ?? defaultLimits;
  let known: StoreSource[] = [];
  try {
    known = readManifest(options.dir)?.sources ?? [];
  } catch (error) {
    if (!isStoreError(error)) throw error;
    // A damaged manifest is rebuilt: download everything again, unconditionally.
  }
  const outcomes: FeedOutcome[] = [];
  const fresh: StoreSource[] = [];
  for (const ecosystem of options.ecosystems) {
    const url = feedUrl(options.source, ecosystem);
    const old = known.find((s) => s.key === url);
    options.onProgress?.(`${ecosystem}: ${url}`);
    const headers: Record<string, string> = {};
    if (old?.etag) headers['if-none-match'] = old.etag;
    if (old?.lastModified) headers['if-modified-since'] = old.lastModified;
    let response: Response;
    try {
      response = await doFetch(url, { ...options.requestInit, headers, signal: options.signal, redirect: 'follow' } as RequestInit);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      outcomes.push({ ecosystem, status: 'failed', reason: networkReason(error) });
      continue;
    }
    if (response.status === 304 && old) {
      await response.body?.cancel();
      fresh.push({ ...old, checked: new Date().toISOString() });
      outcomes.push({ ecosystem, status: 'unchanged' });
      continue;
    }
    if (response.status === 404) {
      await response.body?.cancel();
      outcomes.push({ ecosystem, status: 'not-served' });
      continue;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      outcomes.push({ ecosystem, status: 'failed', reason: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` });
      continue;
    }
    let body: Uint8Array;
    try {
      body = await readBody(response, limits.maxZipBytes);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      outcomes.push({ ecosystem, status: 'failed', reason: networkReason(error) });
      continue;
    }
    const writer = writeSource(options.dir);
    try {
      const counts = readZip(body, url, options.rules, (record) => writer.add(record), limits);
      const etag = response.headers.get('etag') ?? undefined;
      const lastModified = response.headers.get('last-modified') ?? undefined;
      fresh.push(writer.finish({ key: url, kind: 'feed', url, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}), skipped: counts.skipped }));
      outcomes.push({ ecosystem, status: 'updated', records: counts.kept });
    } catch (error) {
      writer.abort();
      if (isDumpError(error) || isStoreError(error)) outcomes.push({ ecosystem, status: 'failed', reason: error.message });
      else throw error;
    }
  }
  if (fresh.length > 0) commitSources(options.dir, fresh);
  return outcomes;
}

/** The whole body, checked against Content-Length (a cut connection), up to `max` bytes. */
async function readBody(response: Response, max: number): Promise<Uint8Array> {
  const declared = response.headers.get('content-length');
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > max) {
        await reader.cancel();
        throw new Error(`the download is larger than ${max} bytes`);
      }
      chunks.push(value);
    }
  }
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) !== size) throw new Error(`the download was cut short (${size} of ${declared} bytes)`);
  return Buffer.concat(chunks, size);
}

/** A network failure in a few words: `connection reset`, `connection refused`, or the error's own message. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as NodeJS.ErrnoException).code;
  const names: Record<string, string> = {
    ECONNRESET: 'connection reset', ECONNREFUSED: 'connection refused', ENOTFOUND: 'host not found', ETIMEDOUT: 'timed out',
    UND_ERR_SOCKET: 'connection closed', UND_ERR_CONNECT_TIMEOUT: 'timed out', EAI_AGAIN: 'host not found',
  };
  if (code && names[code]) return names[code]!;
  const message = cause?.message ?? (error as Error).message;
  return /terminated|other side closed|does not match content-length/i.test(message) ? 'the download was cut short (the connection closed before its end)' : message;
}

/**
 * The request options that send downloads through the proxy `HTTPS_PROXY` (`HTTP_PROXY` for an http source)
 * names, unless `NO_PROXY` covers the host; undefined for a direct connection.
 */
export async function proxyOptions(source: string, env: Readonly<Record<string, string | undefined>>): Promise<Record<string, unknown> | undefined> {
  const url = new URL(source);
  const proxy = url.protocol === 'https:' ? env.HTTPS_PROXY ?? env.https_proxy : env.HTTP_PROXY ?? env.http_proxy;
  if (!proxy) return undefined;
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const host = url.hostname.toLowerCase();
  if (noProxy.some((n) => n === '*' || host === n.replace(/^\./, '') || host.endsWith(n.startsWith('.') ? n : `.${n}`))) return undefined;
  const { ProxyAgent } = await import('undici');
  return { dispatcher: new ProxyAgent(proxy) };
}
