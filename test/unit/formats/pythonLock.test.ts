import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pdmLock, poetryLock, pylock, uvLock } from '../../../server/src/formats/pythonLock';
import { formatFor } from '../../../server/src/formats/index';
import type { PackageReference } from '../../../server/src/model';
import { findingsOf, fixedTexts, on, pin, problemAt, pyFixture } from './pythonHelpers';

const uvFix = { kind: 'python-manifest', manifest: '/work/app/pyproject.toml', tool: 'uv' } as const;
const poetryFix = { kind: 'python-manifest', manifest: '/work/app/pyproject.toml', tool: 'poetry' } as const;

test('the lockfile names are read by their formats', () => {
  assert.deepStrictEqual(['/a/poetry.lock', '/a/uv.lock', '/a/pdm.lock', '/a/pylock.toml', '/a/pylock.dev.toml', '/a/pylock.toml.bak'].map((p) => formatFor(p)?.id), [
    'pypi/poetry.lock', 'pypi/uv.lock', 'pypi/pdm.lock', 'pypi/pylock.toml', 'pypi/pylock.toml', undefined,
  ]);
});

test('uv.lock: registry packages at their versions, names normalised; editable and git packages give nothing', () => {
  assert.deepStrictEqual(uvLock.extract(pyFixture('uv/uv.lock'), '/work/app/uv.lock'), [
    pin('ultralytics', '8.3.41', on(14, 11, 17), 'uv.lock', { fix: uvFix }),
    pin('ultralytics-thop', '8.3.41', on(27, 11, 17), 'uv.lock', { fix: uvFix }),
  ]);
});

test('uv.lock: the fix constrains the package in [tool.uv] of pyproject.toml and re-pins the direct requirement', () => {
  const files = { '/work/app/pyproject.toml': pyFixture('uv/pyproject.toml') };
  const findings = findingsOf('/work/app/uv.lock', pyFixture('uv/uv.lock'), files);
  assert.deepStrictEqual(findings.map((f) => [f.reference.range, f.severity, f.message, f.fixes.map((x) => x.title)]), [[
    on(14, 11, 17), 'error',
    'ultralytics 8.3.41 is a compromised release (ultralytics release compromise (2024-12), PINWATCH-PYPI-2024-12-ULTRALYTICS). Pin 8.3.40 instead. Then run uv lock to rewrite the lockfile.',
    ['Constrain ultralytics to 8.3.40 in pyproject.toml [tool.uv] constraint-dependencies'],
  ]]);
  assert.deepStrictEqual(fixedTexts('/work/app/uv.lock', pyFixture('uv/uv.lock'), files)['/work/app/pyproject.toml'],
    '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n    "ultralytics==8.3.40",\n]\n\n[tool.uv]\nconstraint-dependencies = ["ultralytics==8.3.40"]\n');
});

test('uv.lock: an existing constraint-dependencies array gets the item, on its own line when it spans lines', () => {
  const lock = pyFixture('uv/uv.lock');
  const pyproject = '[project]\nname = "app"\n\n[tool.uv]\nconstraint-dependencies = [\n    "numpy<3",\n]\nextra = 1\n';
  assert.deepStrictEqual(fixedTexts('/work/app/uv.lock', lock, { '/work/app/pyproject.toml': pyproject })['/work/app/pyproject.toml'],
    '[project]\nname = "app"\n\n[tool.uv]\nconstraint-dependencies = [\n    "numpy<3",\n    "ultralytics==8.3.40",\n]\nextra = 1\n');
  const oneLine = '[tool.uv]\nconstraint-dependencies = []\n';
  assert.deepStrictEqual(fixedTexts('/work/app/uv.lock', lock, { '/work/app/pyproject.toml': oneLine })['/work/app/pyproject.toml'],
    '[tool.uv]\nconstraint-dependencies = ["ultralytics==8.3.40"]\n');
  // A [tool.uv] without the key gets the key at the end of its statements; an override that names it is edited.
  const table = '[tool.uv]\ndev-dependencies = ["pytest"]\n\n[tool.other]\nx = 1\n';
  assert.deepStrictEqual(fixedTexts('/work/app/uv.lock', lock, { '/work/app/pyproject.toml': table })['/work/app/pyproject.toml'],
    '[tool.uv]\ndev-dependencies = ["pytest"]\nconstraint-dependencies = ["ultralytics==8.3.40"]\n\n[tool.other]\nx = 1\n');
  const override = '[tool.uv]\noverride-dependencies = ["ultralytics>=8.3.41"]\n';
  assert.deepStrictEqual(fixedTexts('/work/app/uv.lock', lock, { '/work/app/pyproject.toml': override })['/work/app/pyproject.toml'],
    '[tool.uv]\noverride-dependencies = ["ultralytics==8.3.40"]\n');
});

test('uv.lock: a pyproject.toml that already constrains a safe release gives no fix and says to run uv lock', () => {
  const pyproject = '[tool.uv]\nconstraint-dependencies = ["ultralytics==8.3.40"]\n';
  const [finding] = findingsOf('/work/app/uv.lock', pyFixture('uv/uv.lock'), { '/work/app/pyproject.toml': pyproject });
  assert.deepStrictEqual([finding!.fixes, finding!.message], [[],
    'ultralytics 8.3.41 is a compromised release (ultralytics release compromise (2024-12), PINWATCH-PYPI-2024-12-ULTRALYTICS). pyproject.toml already pins it to a safe release; run uv lock to rewrite the lockfile.']);
});

test('uv.lock: no readable pyproject.toml, or a damaged one, gives the finding without a fix', () => {
  const lock = pyFixture('uv/uv.lock');
  assert.deepStrictEqual(findingsOf('/work/app/uv.lock', lock).map((f) => [f.fixes, f.message.endsWith('Use 8.3.40 instead.')]), [[[], true]]);
  assert.deepStrictEqual(findingsOf('/work/app/uv.lock', lock, { '/work/app/pyproject.toml': '[tool.uv\nconstraint-dependencies = [' }).map((f) => f.fixes), [[]]);
});

test('poetry.lock: index and legacy-source packages at their versions; a git package gives nothing', () => {
  assert.deepStrictEqual(poetryLock.extract(pyFixture('poetry/poetry.lock'), '/work/app/poetry.lock'), [
    pin('ctx', '0.2.6', on(4, 11, 16), 'poetry.lock', { fix: poetryFix }),
    pin('ultralytics', '8.3.45', on(15, 11, 17), 'poetry.lock', { fix: poetryFix }),
    pin('numpy', '2.1.3', on(43, 11, 16), 'poetry.lock', { fix: poetryFix }),
  ]);
});

test('poetry.lock: the fix pins the package in [tool.poetry.dependencies]; ctx has no safe release', () => {
  const files = { '/work/app/pyproject.toml': pyFixture('poetry/pyproject.toml') };
  const findings = findingsOf('/work/app/poetry.lock', pyFixture('poetry/poetry.lock'), files);
  assert.deepStrictEqual(findings.map((f) => [f.reference.range.start.line, f.fixes.map((x) => x.title), f.fixes.map((x) => x.followUp)]), [
    [4, [], []],
    [15, ['Pin ultralytics to 8.3.40 in pyproject.toml [tool.poetry.dependencies]'], ['Then run poetry lock to rewrite the lockfile.']],
  ]);
  assert.deepStrictEqual(fixedTexts('/work/app/poetry.lock', pyFixture('poetry/poetry.lock'), files)['/work/app/pyproject.toml'],
    '[tool.poetry]\nname = "app"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.10"\nnumpy = ">=1.23"\nultralytics = "8.3.40"\n\n[tool.poetry.group.dev.dependencies]\nctx = { version = "^0.2", optional = true }\n');
  // A group that already names the package is re-pinned where it is.
  const grouped = '[tool.poetry.dependencies]\npython = "^3.10"\n\n[tool.poetry.group.ml.dependencies]\nUltralytics = { version = "^8.3", extras = ["export"] }\n';
  assert.deepStrictEqual(fixedTexts('/work/app/poetry.lock', pyFixture('poetry/poetry.lock'), { '/work/app/pyproject.toml': grouped })['/work/app/pyproject.toml'],
    '[tool.poetry.dependencies]\npython = "^3.10"\n\n[tool.poetry.group.ml.dependencies]\nUltralytics = { version = "8.3.40", extras = ["export"] }\n');
});

test('pdm.lock: no edit, and the message says what to run', () => {
  const reason = 'pdm.lock is written by pdm: require a safe release of ultralytics in pyproject.toml, then run pdm update ultralytics.';
  assert.deepStrictEqual(pdmLock.extract(pyFixture('pdm/pdm.lock'), '/work/app/pdm.lock'), [pin('ultralytics', '8.3.42', on(11, 11, 17), 'pdm.lock', { fix: { kind: 'none', reason } })]);
  assert.deepStrictEqual(findingsOf('/work/app/pdm.lock', pyFixture('pdm/pdm.lock')).map((f) => [f.fixes, f.message]), [[[],
    `ultralytics 8.3.42 is a compromised release (ultralytics release compromise (2024-12), PINWATCH-PYPI-2024-12-ULTRALYTICS). ${reason} The nearest safe release is 8.3.40.`]]);
});

test('pylock.toml: index packages, the vcs one left out, and the command of the tool named by created-by', () => {
  const reason = 'pylock.toml is written by pdm: require a safe release of ultralytics and regenerate it (pdm update, then pdm export --format pylock).';
  const fix = { kind: 'none', reason } as const;
  assert.deepStrictEqual(pylock.extract(pyFixture('pylock/pylock.toml'), '/work/app/pylock.toml'), [
    pin('ultralytics', '8.3.46', on(6, 11, 17), 'pylock.toml', { fix }),
    pin('ultralytics', '8.3.40', on(25, 11, 17), 'pylock.toml', { fix }),
  ]);
  // 8.3.40 is the release before the attack: no finding.
  assert.deepStrictEqual(findingsOf('/work/app/pylock.toml', pyFixture('pylock/pylock.toml')).map((f) => f.reference.range.start.line), [6]);
});

test('a truncated lockfile still gives its complete entries, and says where reading stopped', () => {
  const text = pyFixture('uv/uv.lock');
  const cut = text.slice(0, text.indexOf('wheels = [') + 'wheels = [\n    { url = "https://files'.length);
  assert.deepStrictEqual(uvLock.extract(cut, '/work/app/uv.lock'), [
    pin('ultralytics', '8.3.41', on(14, 11, 17), 'uv.lock', { fix: uvFix }),
    problemAt('This uv.lock is not valid TOML here: what could not be read was not checked; the rest of the file was.', 22, 26),
  ]);
  // Every prefix reads without throwing, and gives no version that was cut short.
  for (let end = 0; end <= text.length; end += 7) {
    const refs = uvLock.extract(text.slice(0, end), '/work/app/uv.lock').filter((e): e is PackageReference => e.kind === 'package');
    for (const r of refs) assert.equal(r.version, '8.3.41', `prefix ${end}`);
  }
});

test('an unterminated array ends at the next header, whose packages are still read', () => {
  const text = '[[package]]\nname = "numpy"\nversion = "2.1.3"\nwheels = [\n    { url = "x" },\n\n[[package]]\nname = "ultralytics"\nversion = "8.3.41"\nsource = { registry = "https://pypi.org/simple" }\n';
  assert.deepStrictEqual(uvLock.extract(text, '/work/app/uv.lock'), [
    pin('ultralytics', '8.3.41', on(8, 11, 17), 'uv.lock', { fix: uvFix }),
    problemAt('This uv.lock is not valid TOML here: what could not be read was not checked; the rest of the file was.', 6, 0),
  ]);
});

test('a binary file named poetry.lock gives a read problem and nothing else, quickly', () => {
  const bytes = Array.from({ length: 200_000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
  const started = performance.now();
  const out = poetryLock.extract(bytes, '/work/app/poetry.lock');
  assert.ok(performance.now() - started < 2000);
  assert.deepStrictEqual([out.length, out[0]?.kind, out[0]?.kind === 'problem' && out[0].reason], [1, 'problem', 'syntax']);
});
