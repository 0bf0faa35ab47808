/**
 * conda's environment.yml: the `dependencies` list of conda match specs (`name`, `name=1.2.3`, `name==1.2.3`,
 * `name=1.2.3=build`, `channel::name=1.2.3`, `name>=1.2`, `name 1.2.3 build`) read under the conda version scheme,
 * and its `pip:` list of PEP 508 requirements read as requirements.txt reads a line, under PyPI. An exact version
 * (`=1.2.3` resolves to 1.2.3 itself whenever that release exists, so it counts as one) is fixed by replacing it.
 */
import type { Scalar } from 'yaml';
import type { Extracted, Format } from '../model';
import { asMap, asScalar, asSeq, get, keyOf, parseYaml, valueOffsets } from './yaml/document';
import { positioned, requirementAt, type Found } from './python/references';
import { formatPatterns } from './patterns';

/** The environment.yml format. */
export const condaEnvironment: Format = {
  id: 'conda/environment.yml',
  patterns: [...formatPatterns['conda/environment.yml']],
  commentPrefix: '#',
  maxLength: 8 * 1024 * 1024,
  extract(text: string): Extracted[] {
    const file = parseYaml(text);
    const found: Found[] = [];
    for (const doc of file.docs) {
      const root = asMap(file, doc, doc.contents);
      const dependencies = asSeq(file, doc, get(file, doc, root, 'dependencies'));
      for (const item of dependencies?.items ?? []) {
        const scalar = asScalar(file, doc, item);
        if (scalar) {
          const f = located(text, scalar, (value) => condaSpec(value));
          if (f) found.push(f);
          continue;
        }
        const map = asMap(file, doc, item);
        for (const pair of map?.items ?? []) {
          if (keyOf(pair) !== 'pip') continue;
          for (const pip of asSeq(file, doc, pair.value)?.items ?? []) {
            const s = asScalar(file, doc, pip);
            const f = s && located(text, s, (value) => requirementAt(value, 0, 'environment.yml pip'));
            if (f) found.push(f);
          }
        }
      }
    }
    return [...positioned(text, found), ...file.problems];
  },
};

/** A reference read from a scalar's value, moved to the file's offsets when its text is written in one piece. */
function located(text: string, scalar: Scalar, read: (value: string) => Found | undefined): Found | undefined {
  if (typeof scalar.value !== 'string') return undefined;
  const f = read(scalar.value);
  const offsets = f && valueOffsets(text, scalar);
  if (!f || !offsets || f.end <= f.start) return undefined;
  for (let i = f.start + 1; i < f.end; i++) if (offsets[i] !== offsets[i - 1]! + 1) return undefined;
  return { ...f, start: offsets[f.start]!, end: offsets[f.end - 1]! + 1 };
}

const condaName = /^(?:[A-Za-z0-9_.-]+::)?([A-Za-z0-9_][A-Za-z0-9_.-]*)/;

/** A conda match spec's package and version, at offsets in the spec's text. */
function condaSpec(value: string): Found | undefined {
  const name = condaName.exec(value);
  if (!name) return undefined;
  const rest = value.slice(name[0].length);
  // `name=1.2.3`, `name==1.2.3`, `name=1.2.3=build`, or the space-separated `name 1.2.3 build`.
  const pin = /^(\s+|==?)([0-9A-Za-z][0-9A-Za-z._+!]*)(?=$|[=\s])/.exec(rest);
  const context = 'environment.yml';
  if (pin && !/[*]/.test(pin[2]!)) {
    const start = name[0].length + pin[1]!.length;
    return { ref: { kind: 'package', ecosystem: 'conda', name: name[1]!.toLowerCase(), version: pin[2]!, context }, start, end: start + pin[2]!.length };
  }
  const constraint = /^\s*((?:[<>!=]=?|~=)\s*[0-9][0-9A-Za-z._+!*]*(?:\s*,\s*(?:[<>!=]=?|~=)\s*[0-9][0-9A-Za-z._+!*]*)*)\s*$/.exec(rest);
  if (!constraint) return undefined;
  const start = name[0].length + rest.indexOf(constraint[1]!);
  return { ref: { kind: 'package', ecosystem: 'conda', name: name[1]!.toLowerCase(), constraint: constraint[1]!, context }, start, end: start + constraint[1]!.length };
}
