import { testGrowth } from './patterns';

// Defect 9: each malformed line looked for a `\r` back to the start of a file that had none.
testGrowth(9);
