/**
 * References from Gemfile and gemspec declarations: one requirement `= 1.6.13` (or a bare `1.6.13`, which
 * RubyGems reads as `=`) is an exact version at the version's characters; any other requirements are a
 * constraint over the span of their strings. Gems from git, a path, GitHub and the like are not RubyGems releases.
 */
import type { Extracted, PackageReference, ReadProblem } from '../../model';
import { positionsAt } from '../textPositions';
import { scanGems } from './gemfileScan';

/** Options that take a gem from somewhere other than a gem server. */
const notReleases: ReadonlySet<string> = new Set(['git', 'github', 'gist', 'bitbucket', 'path', 'gitlab']);

// Gem::Requirement's operators, and Gem::Version's characters.
const requirement = /^\s*(=|!=|>=|<=|>|<|~>)?\s*([0-9][0-9A-Za-z.-]*)\s*$/;

interface Found {
  ref: Omit<PackageReference, 'range'>;
  start: number;
  end: number;
}

/** The references and read problems of a Gemfile (`gem` calls) or a gemspec (`add_dependency` calls). */
export function gemReferences(text: string, kind: 'gem' | 'gemspec', context: string): Extracted[] {
  const { declarations, problem } = scanGems(text, kind);
  const found: Found[] = [];
  for (const d of declarations) {
    if (d.dynamic || d.requirements.length === 0 || d.options.some((o) => notReleases.has(o))) continue;
    if (d.requirements.some((r) => !r.exact)) continue;
    const clauses = d.requirements.map((r) => ({ token: r, m: requirement.exec(r.value) }));
    if (clauses.some((c) => !c.m)) continue;
    const base = { kind: 'package' as const, ecosystem: 'RubyGems', name: d.name, context };
    const [only] = clauses;
    if (clauses.length === 1 && only && (only.m![1] === undefined || only.m![1] === '=')) {
      const version = only.m![2]!;
      const start = only.token.start + only.token.value.indexOf(version, only.m![1] === undefined ? 0 : only.token.value.indexOf('=') + 1);
      found.push({ ref: { ...base, version }, start, end: start + version.length });
      continue;
    }
    // The constraint is written as it reads between the first string and the last (quotes dropped), so that its
    // range covers it all; when something other than a comma on the same line stands between them (`.freeze`, a line break), the range is the first.
    const first = d.requirements[0]!;
    const last = d.requirements[d.requirements.length - 1]!;
    // The range leaves out the blanks inside the quotes (`" ~> 1.6 "`), which are not part of the requirement.
    const from = first.start + (first.value.length - first.value.trimStart().length);
    const to = last.end - (last.value.length - last.value.trimEnd().length);
    const between = text.slice(from, to);
    const plain = /^[^'"\r\n]*(?:['"][ \t]*,[ \t]*['"][^'"\r\n]*)*$/.test(between);
    const firstEnd = first.end - (first.value.length - first.value.trimEnd().length);
    const constraint = plain ? between.replace(/['"]/g, '') : d.requirements.map((r) => r.value.trim()).join(', ');
    found.push({ ref: { ...base, constraint }, start: from, end: plain ? to : firstEnd });
  }
  const offsets = found.flatMap((f) => [f.start, f.end]);
  if (problem) offsets.push(problem.start, problem.end);
  const positions = positionsAt(text, offsets);
  const refs: Extracted[] = found.map((f, i) => ({ ...f.ref, range: { start: positions[2 * i]!, end: positions[2 * i + 1]! } }));
  if (problem) {
    const at = 2 * found.length;
    const read: ReadProblem = { kind: 'problem', reason: 'syntax', message: `${problem.message}; the gems declared before it were checked.`, range: { start: positions[at]!, end: positions[at + 1]! } };
    refs.push(read);
  }
  return refs;
}
