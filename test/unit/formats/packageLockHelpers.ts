/** Shared by the package-lock tests: where the repository is, wherever the bundled test runs from. */
import { repoRoot, sharedDir } from '../../paths';

export { repoRoot, sharedDir };
