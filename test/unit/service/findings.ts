/** Hand-made findings for the service tests, so they do not depend on the engine or the advisory set. */
import type { Finding, Range } from '../../../server/src/model';

export const dockerUri = 'file:///work/Dockerfile';
export const dockerText = 'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.1-1 liblzma5=5.6.1-1\n';

/** The range of the `occurrence`-th `token` in `text` (single line). */
export function rangeOf(text: string, token: string, occurrence = 1): Range {
  let at = -1;
  for (let i = 0; i < occurrence; i++) at = text.indexOf(token, at + 1);
  if (at < 0) throw new Error(`no ${token} in text`);
  const line = text.slice(0, at).split('\n').length - 1;
  const character = at - (text.lastIndexOf('\n', at - 1) + 1);
  return { start: { line, character }, end: { line, character: character + token.length } };
}

const xzAdvisory = {
  id: 'PINWATCH-2024-0001',
  aliases: ['CVE-2024-3094'],
  summary: 'XZ Utils 5.6.0 and 5.6.1 release tarballs contain a backdoor.',
  url: 'https://tukaani.org/xz-backdoor/',
};

/** A Debian package finding on the `occurrence`-th `5.6.1-1` of the Dockerfile text. */
export function debianFinding(name: string, occurrence: number, uri = dockerUri, text = dockerText): Finding {
  const range = rangeOf(text, '5.6.1-1', occurrence);
  return {
    reference: { kind: 'package', ecosystem: 'Debian', suite: 'sid', name, version: '5.6.1-1', range, context: 'apt-get install' },
    advisory: xzAdvisory,
    severity: 'error',
    code: 'compromised-version',
    message: `${name} 5.6.1-1 is a compromised release (CVE-2024-3094); use 5.6.1+really5.4.5-1.`,
    affected: ['5.6.0-0.1', '5.6.0-0.2', '5.6.1-1'],
    safe: ['5.6.1+really5.4.5-1', '5.4.5-0.3'],
    fixes: [
      { title: `Pin ${name} 5.6.1+really5.4.5-1`, edits: [{ uri, range, newText: '5.6.1+really5.4.5-1', expected: '5.6.1-1' }] },
      { title: `Pin ${name} 5.4.5-0.3`, edits: [{ uri, range, newText: '5.4.5-0.3', expected: '5.6.1-1' }] },
    ],
  };
}
