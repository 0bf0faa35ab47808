/**
 * A YAML scalar read as a shell script (a workflow's `run:`, a GitLab `script:` line): the script text is the
 * scalar's value, each character mapped to the file offset it is written at, so that what the shell reader finds
 * is reported at its exact place in the YAML file, through indentation, folded lines and quotes.
 */
import type { Document } from 'yaml';
import type { Extracted, Range } from '../../model';
import type { Distro } from '../shell/distro';
import type { Binding, Lookup } from '../shell/expand';
import { artifactReference, pinReference } from '../shell/references';
import { analyzeScript } from '../shell/script';
import { asMap, asScalar, keyOf, pairsOf, valueOffsets, type YamlFile } from './document';

/** The pins and artifacts of a scalar read as shell; [] when it is not a string scalar. */
export function shellReferences(file: YamlFile, doc: Document.Parsed, node: unknown, distro: Distro | undefined, lookup: Lookup): Extracted[] {
  const scalar = asScalar(file, doc, node);
  if (!scalar || typeof scalar.value !== 'string' || scalar.value.trim() === '') return [];
  const offsets = valueOffsets(file.text, scalar);
  if (!offsets) return [];
  const text = scalar.value;
  const source = { text, offsets: [...offsets, (offsets[offsets.length - 1] ?? scalar.range![0]) + 1] };
  const toRange = (span: { start: number; end: number }): Range => file.lines.range(span.start, span.end);
  const describe = (name: string, at: { start: number }) => `shell variable ${name}, line ${file.lines.line(at.start) + 1}`;
  const facts = analyzeScript(source, lookup, { describe });
  const out: Extracted[] = [];
  for (const pin of facts.installs) {
    const ref = pinReference(pin, distro, toRange);
    if (ref) out.push(ref);
  }
  for (const artifact of facts.artifacts) {
    const ref = artifactReference(artifact, toRange);
    if (ref) out.push(ref);
  }
  return out;
}

/**
 * The variables an `env:` mapping defines with literal values, as shell bindings written where the YAML writes
 * them (so a fix edits the `env:` value), layered over an outer lookup.
 */
export function envLookup(file: YamlFile, doc: Document.Parsed, env: unknown, outer: Lookup, what: string): Lookup {
  const map = asMap(file, doc, env);
  if (!map) return outer;
  const bindings = new Map<string, Binding>();
  for (const pair of pairsOf(file, doc, map)) {
    const scalar = asScalar(file, doc, pair.value);
    if (!scalar || (typeof scalar.value !== 'string' && typeof scalar.value !== 'number')) continue;
    const value = String(scalar.value);
    const offsets = valueOffsets(file.text, scalar);
    const line = file.lines.line(scalar.range?.[0] ?? 0) + 1;
    const binding: Binding = { value, via: `${what} ${keyOf(pair)}, line ${line}` };
    if (offsets && offsets.every((o, i) => i === 0 || o === offsets[i - 1]! + 1)) binding.offsets = offsets;
    bindings.set(keyOf(pair), binding);
  }
  return (name) => bindings.get(name) ?? outer(name);
}

/** A lookup that knows no variable. */
export const noVariables: Lookup = () => undefined;
