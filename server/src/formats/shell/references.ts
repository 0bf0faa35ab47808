/**
 * From script facts to the shared data model: package pins become PackageReferences (with the distribution's
 * ecosystem and suite), artifacts become ArtifactReferences, each with its exact range and, when the value came
 * through a variable, where to edit it.
 */
import type { ArtifactReference, Origin, PackageReference, Range } from '../../model';
import { originRuns } from '../origins';
import { urlEdit, type ShellArtifact } from './artifacts';
import { pinDistro, type Distro } from './distro';
import { locate, type Expansion, type Span } from './expand';
import type { InstallPin } from './installs';

/** Turns source spans into LSP ranges (a format builds one over its text). */
export type ToRange = (span: Span) => Range;

/** The PackageReference for a pin, or undefined when its distribution or position cannot be known. */
export function pinReference(pin: InstallPin, image: Distro | undefined, toRange: ToRange): PackageReference | undefined {
  const distro = pinDistro(pin, image);
  const located = locate(pin.arg.exp, pin.from, pin.to);
  if (!distro || !located) return undefined;
  const ref: PackageReference = { kind: 'package', ecosystem: distro.ecosystem, name: pin.name, range: toRange(located.span), context: pin.context };
  if (distro.suite) ref.suite = distro.suite;
  if (pin.version !== undefined) ref.version = pin.version;
  if (pin.constraint !== undefined) ref.constraint = pin.constraint;
  if (located.edit) ref.edit = toRange(located.edit);
  if (located.via) ref.via = located.via;
  // Replacing the flagged text is right unless an expansion in it also supplies text beyond the version (the
  // package name, say) and the value cannot be edited where it is written instead.
  if (located.partial && !located.edit) {
    const from = located.mixed ?? (located.param ? [located.param] : []);
    ref.fix = { kind: 'none', reason: `The version is only part of the value of ${names(from)}; change it by hand.` };
  }
  const fileFix = packageFileFix(pin);
  if (fileFix && !ref.fix) ref.fix = fileFix;
  return ref;
}

/** The ArtifactReference for a script artifact, or undefined when its position cannot be known. */
export function artifactReference(artifact: ShellArtifact, toRange: ToRange): ArtifactReference | undefined {
  const located = locate(artifact.exp, artifact.from, artifact.to);
  if (!located) return undefined;
  const ref: ArtifactReference = { kind: artifact.kind, value: artifact.value, range: toRange(located.span), context: artifact.context };
  if (artifact.kind === 'url') {
    const { via } = urlEdit(artifact.exp);
    if (via) ref.via = via;
    ref.origins = originsOf(artifact.exp, artifact.from, artifact.to);
    return ref;
  }
  if (located.edit) ref.edit = toRange(located.edit);
  if (located.via) ref.via = located.via;
  return ref;
}

/** Where each character of an expanded value is written: a source offset, or the variable whose value is not literal here. */
function originsOf(exp: Expansion, from: number, to: number): Origin[] {
  // Only the artifact's own characters `from..to` of the expanded word: a word of thousands of URLs (a Makefile
  // variable of 37 KB) would otherwise be walked whole once per URL.
  const out: Array<number | string> = [];
  let at = 0;
  for (const piece of exp.pieces) {
    if (at >= to) break;
    const length = piece.offsets ? piece.offsets.length : piece.param ? piece.param.binding.value.length : 0;
    if (at + length > from) {
      if (piece.offsets) for (let i = Math.max(0, from - at); i < length && at + i < to; i++) out.push(piece.offsets[i]!);
      else if (piece.param) {
        const { binding, name } = piece.param;
        const literal = binding.offsets !== undefined && binding.offsets.length === binding.value.length;
        for (let i = Math.max(0, from - at); i < length && at + i < to; i++) out.push(literal ? binding.offsets![i]! : name);
      }
    }
    at += length;
  }
  return originRuns(out);
}

/**
 * A version read from a package file name (`pacman -U`, `rpm -U`, `dnf install …rpm`, `dpkg -i`) can only be replaced in place
 * when the file is a URL whose directories do not name the version too: renaming a local file that the build
 * downloaded or copied elsewhere, or only the last segment of a Koji URL (`…/xz/5.6.0/2.fc40/x86_64/…`), breaks it.
 */
function packageFileFix(pin: InstallPin): PackageReference['fix'] | undefined {
  if (pin.tool !== 'pacman' && !/\.(?:rpm|u?deb)(?:$|[?#])/.test(pin.arg.exp.value)) return undefined;
  const value = pin.arg.exp.value;
  const dir = value.slice(0, value.lastIndexOf('/', pin.from) + 1);
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) {
    return { kind: 'none', reason: 'The package file is a local path; get the safe release\'s file and install that instead.' };
  }
  const upstream = (pin.version ?? '').replace(/^\d+:/, '').split('-')[0]!;
  if (upstream && dir.includes(`/${upstream}/`)) {
    return { kind: 'none', reason: 'The URL names the version in its directories too; change the whole URL by hand.' };
  }
  return undefined;
}

function names(list: readonly string[]): string {
  return list.map((n) => `\${${n}}`).join(', ');
}
